// Keys JSON.parse would accept silently: a repeated key (the last one wins, so two parties can
// read different values from the same bytes) and prototype keys (__proto__, constructor,
// prototype), which poison objects that are later merged. Runs after JSON.parse succeeded, so
// the text is known to be valid JSON; one linear pass over it.

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export interface KeyProblem {
  /** JSON pointer of the offending key (RFC 6901). */
  field: string;
  kind: 'duplicate' | 'prototype';
  key: string;
}

function pointerPart(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The first duplicate or prototype key in valid JSON `text`, or undefined. */
export function findKeyProblem(text: string): KeyProblem | undefined {
  // One frame per open container: objects track their keys and the key being read.
  type Frame = { object: true; keys: Set<string>; path: string; expectKey: boolean; lastKey: string } | { object: false; path: string; index: number };
  const stack: Frame[] = [];
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (top === undefined) return '';
    return top.object ? `${top.path}/${pointerPart(top.lastKey)}` : `${top.path}/${top.index}`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      let escaped = false;
      while (j < text.length) {
        const d = text[j]!;
        if (d === '\\') {
          escaped = true;
          j += 2;
        } else if (d === '"') {
          break;
        } else {
          j++;
        }
      }
      const raw = text.slice(i, j + 1);
      const top = stack[stack.length - 1];
      if (top?.object && top.expectKey) {
        const key = escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        const field = `${top.path}/${pointerPart(key)}`;
        if (FORBIDDEN.has(key)) return { field, kind: 'prototype', key };
        if (top.keys.has(key)) return { field, kind: 'duplicate', key };
        top.keys.add(key);
        top.lastKey = key;
        top.expectKey = false;
      }
      i = j;
    } else if (c === '{') {
      stack.push({ object: true, keys: new Set(), path: childPath(), expectKey: true, lastKey: '' });
    } else if (c === '[') {
      stack.push({ object: false, path: childPath(), index: 0 });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.object) top.expectKey = true;
      else if (top) top.index++;
    }
  }
  return undefined;
}
