// A remembered pure function of a string, for work that repeats within and across runs (words in
// the tokeniser, outlet names in ranking). The memory is bounded: past `size` entries it starts
// over, which is cheaper than tracking recency and fine for Zipf-like inputs.
export function memoized<T>(compute: (key: string) => T, size: number): (key: string) => T {
  const remembered = new Map<string, T>();
  return (key) => {
    let value = remembered.get(key);
    if (value === undefined) {
      if (remembered.size >= size) remembered.clear();
      value = compute(key);
      remembered.set(key, value);
    }
    return value;
  };
}
