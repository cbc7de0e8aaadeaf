const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.getUTCDate() === Number(m[3]);
}

/**
 * The formats dcp's file schemas use, in a module of their own so that the validators
 * generated at build time can require them.
 */
export const DATE_FORMATS = { date: { type: "string" as const, validate: isCalendarDate } };
