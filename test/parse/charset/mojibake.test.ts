// Double-encoded UTF-8 (charset/mojibake.ts): repaired where the repair is unambiguous, and
// correct text in any language never touched.
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../src/parse';
import { repairMojibake } from '../../../src/parse/charset';

/** What a system that reads UTF-8 as windows-1252 and writes UTF-8 again makes of a text. */
const doubleEncoded = (text: string) => new TextDecoder('windows-1252').decode(new TextEncoder().encode(text));
/** The same slip through latin-1: the 0x80-0x9F bytes become C1 controls. */
const viaLatin1 = (text: string) => String.fromCharCode(...new TextEncoder().encode(text));

const CORRECT = [
  'Polizeieinsatz in Kölner Silvesternacht: Fünf Tote, Täter checkte Waffe ein – Straßen gesperrt',
  'Piratage imputé à la Russie : « bulle » Macron résiste, garçon fauché, l’aéroport rouvert',
  '¿Qué pasó en España? El niño comió piñas y jalapeños ¡otra vez!',
  'Zażółć gęślą jaźń: Łódź, Kraków i Gdańsk',
  'Příliš žluťoučký kůň úpěl ďábelské ódy',
  'Türkiye’de ığdır, şeker ve çiçek üzerine güncel haberler',
  'В Москве из-за сильных морозов объявлен «оранжевый» уровень опасности',
  'Η Ελλάδα και η Ευρώπη: νέες εξελίξεις στην οικονομία',
  '東京の天気：明日は晴れ、最高気温は二十度の予想です',
  '北京发布新的交通规定，市民反应热烈',
  'Launch day 🚀🎉 — café ☕ and “quotes” at 50 °C ± 2 © 2024 ™',
  'Ellipsis… bullets • daggers † per mille ‰ and € prices',
  'Português: São Paulo, NÃO, IRMÃ, AÇÃO, Ângela e Ânimo',
  'Română: ROMÂNIA, Âmbele, CÂMP',
  'Âge d’or, Ãbaco?, «IRMÃ»',
];

describe('repairMojibake', () => {
  it('leaves correct text in every language as it is', () => {
    for (const text of CORRECT) expect(repairMojibake(text)).toBe(text);
  });

  it('repairs each of them double-encoded, through windows-1252 and through latin-1', () => {
    for (const text of CORRECT) {
      expect(doubleEncoded(text)).not.toBe(text);
      expect(repairMojibake(doubleEncoded(text))).toBe(text);
      expect(repairMojibake(viaLatin1(text))).toBe(text);
    }
    expect(repairMojibake('KÃ¶lner Silvesternacht')).toBe('Kölner Silvesternacht');
    expect(repairMojibake('Marketingâ€™s Second Act')).toBe('Marketing’s Second Act');
    expect(repairMojibake('OnlineÂ\u00a0[Free Ebook]')).toBe('Online\u00a0[Free Ebook]');
  });

  it('keeps text that legitimately has "Ã" or "Â", and every mixed or ambiguous text', () => {
    const kept = [
      'SÃO PAULO', 'NÃO!', 'IRMÃ «» OK', '«IRMÃ»', '“IRMÃ”', 'ÂN ROMÂNIA', 'Â', 'Ã', 'À»', 'é»',
      'Kölner KÃ¶lner', // a correct ö next to a double-encoded one: which is meant is not certain
      'KÃ¶lner © 2024', // a lone ©: a byte no UTF-8 sequence explains
      'Â€', // would decode to a C1 control, which nobody writes
      'ð\u009f\u0098', // a sequence cut short
      'ï·\u0090 ï¿¿', // would decode to noncharacters (U+FDD0, U+FFFF)
    ];
    for (const text of kept) expect(repairMojibake(text)).toBe(text);
    // A text that is exactly the double encoding of a letter is repaired, as feedparser does.
    expect(repairMojibake('Ã©')).toBe('é');
  });

  it('repairs around characters no single byte stands for, which cannot come from the slip', () => {
    expect(repairMojibake('KÃ¶ln 東京')).toBe('Köln 東京');
  });
});

describe('parseFeed repairs double-encoded text in every format', () => {
  const title = 'Polizeieinsatz in Kölner Silvesternacht: Täter “checkte” Waffe ein';
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('RSS (declared UTF-8): titles, descriptions and authors; correct items stay as they are', () => {
    const doc = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${doubleEncoded('SPIEGEL – Schlagzeilen')}</title>
      <item><title>${doubleEncoded(title)}</title><description>${doubleEncoded('<p>Für Köln</p>')}</description><author>${doubleEncoded('Jörg Müller')}</author></item>
      <item><title>Zürich – Genève</title><description>Déjà vu</description></item></channel></rss>`;
    const parsed = parseFeed(bytes(doc));
    expect(parsed.feed.title).toBe('SPIEGEL – Schlagzeilen');
    expect(parsed.items.map((item) => item.title)).toEqual([title, 'Zürich – Genève']);
    expect(parsed.items[0]!.summary).toBe('<p>Für Köln</p>');
    expect(parsed.items[0]!.author?.name).toBe('Jörg Müller');
    expect(parsed.items[1]!.summary).toBe('Déjà vu');
  });

  it('Atom and JSON Feed', () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>${doubleEncoded(title)}</title></entry></feed>`;
    expect(parseFeed(bytes(atom)).items[0]!.title).toBe(title);
    const json = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 't', items: [{ id: '1', title: doubleEncoded(title), content_text: 'x' }] });
    expect(parseFeed(bytes(json)).items[0]!.title).toBe(title);
  });
});
