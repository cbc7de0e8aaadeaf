import { expect } from "chai";
import { DATE_FORMATS } from "../../cli/config/date-format";

const isDate = (text: string) => DATE_FORMATS.date.validate(text);

describe("the date format of dcp's files", () => {
  it("takes a calendar day written YYYY-MM-DD", () => {
    expect(["2026-02-28", "2028-02-29", "2026-12-31"].map(isDate)).to.deep.equal([true, true, true]);
  });

  it("refuses a day the month does not have", () => {
    expect(["2026-02-29", "2026-02-30", "2026-04-31", "2026-13-01"].map(isDate)).to.deep.equal([false, false, false, false]);
  });

  it("refuses other ways of writing a date that JavaScript would read", () => {
    expect(["+002026-01-01", "2026-1-1", "2026-01-01T00:00:00Z", "20260101"].map(isDate)).to.deep.equal([false, false, false, false]);
  });
});
