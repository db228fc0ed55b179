import { expect, it } from 'vitest';
import { parseDate } from '../../src/parse';

const table: [string, string | null][] = [
  ['Tue, 04 Jun 2024 09:30:00 +0200', '2024-06-04T07:30:00Z'],
  ['Tue, 4 Jun 2024 09:30:00 GMT', '2024-06-04T09:30:00Z'],
  ['Mon, 3 Jun 2024 18:05 EDT', '2024-06-03T22:05:00Z'],
  ['Mon, 26 January 2004 16:31:00 PST', '2004-01-27T00:31:00Z'],
  ['04 Jun 24 09:30:00 Z', '2024-06-04T09:30:00Z'],
  ['Tue, Jun 04 2024 09:30:00 +0000', '2024-06-04T09:30:00Z'],
  ['Sun Jan  4 16:29:06 2004', '2004-01-04T16:29:06Z'],
  ['2024-06-04T09:30:00Z', '2024-06-04T09:30:00Z'],
  ['2024-06-04T09:30:00.123+05:30', '2024-06-04T04:00:00Z'],
  ['2024-06-04 09:30:00', '2024-06-04T09:30:00Z'],
  ['2024-06-04', '2024-06-04T00:00:00Z'],
  ['20240604T093000Z', '2024-06-04T09:30:00Z'],
  ['2024-02-30T10:00:00Z', null],
  ['2024-06-04T25:00:00Z', null],
  ['Sun, 99 Jun 2009 12:00:00 GMT', null],
  ['Sun, 16 Dec 2012 11:47:32 +zz:00', null],
  ['Mon, 3 Jun 2024 18:05 XYZ', null],
  ['next Tuesday', null],
  ['', null],
];

it.each(table)('parseDate(%j) -> %j', (input, expected) => {
  expect(parseDate(input)).toBe(expected);
});
