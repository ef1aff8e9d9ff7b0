// Names people give to things (projects, users): short, URL-safe, stable.

export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
export const NAME_RULE =
  'must be 1-63 characters of lowercase letters, digits, ".", "_" or "-", starting with a letter or digit';
