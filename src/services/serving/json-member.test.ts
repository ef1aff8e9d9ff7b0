// Cutting one member's text out of a JSON object as received: values of every kind, strings
// holding quotes, brackets and escapes, white space and line breaks, repeated keys.
import { describe, expect, it } from 'vitest';
import { memberText } from './json-member.js';

describe('memberText', () => {
  it('cuts a member of any kind, exactly as written', () => {
    const text = ' { "columns" : ["a", "b]\\"{"] ,\n "data":[[1, -2.5e-3],\r\n [true, null], ["x\\"]", {"k": [1]}]], "n": 7, "s": "t" } ';
    expect(memberText(text, 'data')).toBe('[[1, -2.5e-3],\r\n [true, null], ["x\\"]", {"k": [1]}]]');
    expect(JSON.parse(memberText(text, 'data')!)).toEqual(JSON.parse(text).data);
    expect(memberText(text, 'columns')).toBe('["a", "b]\\"{"]');
    expect(memberText(text, 'n')).toBe('7');
    expect(memberText(text, 's')).toBe('"t"');
    expect(memberText(text, 'rows')).toBeUndefined();
  });

  it('takes the last of repeated keys, as JSON.parse does, and reads escaped key names', () => {
    expect(memberText('{"rows":[1],"rows":[2]}', 'rows')).toBe('[2]');
    expect(memberText('{"r\\u006fws":[3]}', 'rows')).toBe('[3]');
  });

  it('answers nothing for text that is not an object', () => {
    expect(memberText('[{"rows":[1]}]', 'rows')).toBeUndefined();
    expect(memberText('"rows"', 'rows')).toBeUndefined();
  });

  it('agrees with JSON.parse on a large batch', () => {
    const data = Array.from({ length: 500 }, (_, i) => [i / 7, `s${i}"]`, null, { a: [i] }]);
    const text = JSON.stringify({ columns: ['a', 'b', 'c', 'd'], data, event_times: data.map((_, i) => i) });
    expect(JSON.parse(memberText(text, 'data')!)).toEqual(data);
    expect(JSON.parse(memberText(text, 'event_times')!)).toHaveLength(500);
  });
});
