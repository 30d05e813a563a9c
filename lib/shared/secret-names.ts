// Which environment variable names hold secrets: their values are kept out of run.json, plans,
// reports and logs. One rule for the whole project (the runner's redaction and the plan
// checker's refusal), and a broad one: a name that merely looks secret is treated as secret,
// because a leaked credential cannot be taken back while a redacted knob costs nothing.
// Pure: k6 and Node import it.

export const SECRET_NAME = /PASSWORD|PASSPHRASE|SECRET|TOKEN|CREDENTIAL|KEY/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The env without its secret-named entries. */
export function withoutSecrets<T>(env: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !isSecretName(name)));
}
