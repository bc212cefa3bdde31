import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * The environment with a `.env` file's settings beneath it: a variable set
 * in the real environment wins over the file. A missing file is no file;
 * an unreadable one stops the start. process.env itself is not written.
 */
export function withEnvFile(file = '.env', env: Record<string, string | undefined> = process.env): Record<string, string | undefined> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return env;
    throw error;
  }
  const fromFile = parseEnv(text) as Record<string, string | undefined>;
  const merged = { ...fromFile };
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  return merged;
}
