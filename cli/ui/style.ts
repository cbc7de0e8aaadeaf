/** Colour only for a person at a terminal; never in pipes, CI logs or with NO_COLOR. */
function colourEnabled(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && process.env["NO_COLOR"] === undefined && process.env["TERM"] !== "dumb";
}

function paint(code: number, reset: number) {
  return (text: string, stream: NodeJS.WriteStream = process.stdout): string =>
    colourEnabled(stream) ? `\u001b[${code}m${text}\u001b[${reset}m` : text;
}

export const red = paint(31, 39);
export const yellow = paint(33, 39);
export const green = paint(32, 39);
export const dim = paint(2, 22);
export const bold = paint(1, 22);
