/**
 * Operational log lines. Callers pass only what is safe to keep in a log:
 * identifiers, counts, states and error codes; never a name, a contact, a
 * narrative or an indicator value.
 */
export interface Logger {
  info(message: string, fields?: Record<string, string | number | boolean>): void;
  warn(message: string, fields?: Record<string, string | number | boolean>): void;
  error(message: string, fields?: Record<string, string | number | boolean>): void;
}

function write(stream: NodeJS.WriteStream, level: string, message: string, fields?: Record<string, unknown>) {
  const suffix = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
  stream.write(`${new Date().toISOString()} ${level} ${message}${suffix}\n`);
}

export const consoleLogger: Logger = {
  info: (message, fields) => write(process.stdout, 'info', message, fields),
  warn: (message, fields) => write(process.stderr, 'warn', message, fields),
  error: (message, fields) => write(process.stderr, 'error', message, fields),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
