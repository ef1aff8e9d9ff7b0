// Column value conversions shared by the repositories: 0/1 booleans and int8 epoch-ms numbers.

/** A 0/1 integer column as a boolean. */
export const toBool = (v: number | boolean): boolean => v === true || Number(v) === 1;

/** A boolean as the 0/1 integer the database stores. */
export const toFlag = (b: boolean): number => (b ? 1 : 0);

/** An int8 column as a JS number (pg may hand back a string when no type parser is set). */
export const toNum = (v: number | string | bigint): number => Number(v);

export const toNumOrNull = (v: number | string | bigint | null): number | null => (v === null ? null : Number(v));
