// A quick check of a regular expression against RE2's syntax (what DuckDB's regexp functions
// use), done where no DuckDB is at hand: unbalanced groups and classes, a quantifier with nothing
// to repeat, repeat counts over 1000, and the Perl features RE2 leaves out (lookaround,
// backreferences, atomic groups, possessive quantifiers). The engine compiles the pattern in
// DuckDB before ingest as well, so what this misses still fails before anything is written.

const MAX_PATTERN = 1000;
const MAX_REPEAT = 1000;

/**
 * The problem with `pattern`, or null when it looks like valid RE2.
 * @example re2Problem('a(?=b)') // 'lookahead (?=…) is not supported (RE2 syntax has no lookaround)'
 */
export function re2Problem(pattern: string): string | null {
  if (pattern.length === 0) return 'must not be empty';
  if (pattern.length > MAX_PATTERN) return `may be at most ${MAX_PATTERN} characters`;
  let depth = 0;
  let inClass = false;
  let classStart = 0;
  /** True when the previous token can take a quantifier. */
  let repeatable = false;
  /** True when the previous token was a quantifier. */
  let quantified = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return 'ends with a lone backslash';
      if (!inClass && /[1-9]/.test(next)) return `backreferences (\\${next}) are not supported in RE2 syntax`;
      if (!inClass && next === 'k') return 'named backreferences (\\k) are not supported in RE2 syntax';
      if (!inClass && next === 'Z') return '\\Z is not supported in RE2 syntax (use \\z or $)';
      if (next === 'Q') {
        // \Q…\E quotes everything up to \E (or the end).
        const end = pattern.indexOf('\\E', i + 2);
        i = end < 0 ? pattern.length : end + 1;
        repeatable = !inClass;
        quantified = false;
        continue;
      }
      i++;
      repeatable = !inClass;
      quantified = false;
      continue;
    }
    if (inClass) {
      if (ch === ']' && i > classStart) {
        inClass = false;
        repeatable = true;
        quantified = false;
      } else if (ch === '[' && pattern[i + 1] === ':') {
        const end = pattern.indexOf(':]', i + 2);
        if (end > 0) i = end + 1;
      }
      continue;
    }
    switch (ch) {
      case '[':
        inClass = true;
        classStart = pattern[i + 1] === '^' ? i + 2 : i + 1;
        if (pattern[classStart] === ']') classStart++;
        i = classStart - 1;
        break;
      case '(': {
        const head = pattern.slice(i, i + 4);
        if (head.startsWith('(?=') || head.startsWith('(?!')) return `lookahead ${head.slice(0, 3)}…) is not supported (RE2 syntax has no lookaround)`;
        if (head === '(?<=' || head === '(?<!') return `lookbehind ${head}…) is not supported (RE2 syntax has no lookaround)`;
        if (head.startsWith('(?>')) return 'atomic groups (?>…) are not supported in RE2 syntax';
        if (pattern[i + 1] === '?') {
          // (?:…), (?P<name>…), (?<name>…), (?i:…) open a group; (?i) only sets flags.
          const m = /^\(\?(?:P?<[A-Za-z_][A-Za-z0-9_]*>|[imsU-]*[:)])/.exec(pattern.slice(i));
          if (!m) return `unknown group syntax '${pattern.slice(i, i + 4)}…' at position ${i + 1}`;
          i += m[0].length - 1;
          if (m[0].endsWith(')')) {
            repeatable = false;
            quantified = false;
            break;
          }
        }
        depth++;
        repeatable = false;
        quantified = false;
        break;
      }
      case ')':
        if (depth === 0) return `unmatched ')' at position ${i + 1}`;
        depth--;
        repeatable = true;
        quantified = false;
        break;
      case '|':
        repeatable = false;
        quantified = false;
        break;
      case '*':
      case '+':
      case '?':
        if (quantified) {
          if (ch === '?') {
            quantified = false; // a lazy quantifier such as *?
            repeatable = false;
            break;
          }
          return `possessive or doubled quantifier '${pattern[i - 1]}${ch}' at position ${i} is not supported in RE2 syntax`;
        }
        if (!repeatable) return `'${ch}' at position ${i + 1} has nothing to repeat`;
        quantified = true;
        repeatable = false;
        break;
      case '{': {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
        if (!m) {
          repeatable = true; // a literal brace
          quantified = false;
          break;
        }
        if (quantified) return `doubled quantifier before '${m[0]}' at position ${i + 1}`;
        if (!repeatable) return `'${m[0]}' at position ${i + 1} has nothing to repeat`;
        const lo = Number(m[1]);
        const hi = m[3] ? Number(m[3]) : lo;
        if (lo > MAX_REPEAT || hi > MAX_REPEAT) return `repeat counts may be at most ${MAX_REPEAT} ('${m[0]}')`;
        if (m[3] && hi < lo) return `'${m[0]}' repeats at least ${lo} but at most ${hi} times`;
        i += m[0].length - 1;
        quantified = true;
        repeatable = false;
        break;
      }
      default:
        repeatable = ch !== '^' && ch !== '$';
        quantified = false;
    }
  }
  if (inClass) return "a character class '[' is not closed with ']'";
  if (depth > 0) return `${depth} group${depth === 1 ? '' : 's'} '(' not closed with ')'`;
  return null;
}
