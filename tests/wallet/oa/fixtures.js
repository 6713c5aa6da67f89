// Raw documents for the interop tests: every JSON feature whose hashing could differ between
// implementations (unicode, escapes, lone surrogates, number notations, nesting, empty containers).
"use strict";

const issuers = [
  {
    name: "DEMO CHAMBER OF COMMERCE",
    documentStore: "0x9178F546D3FF57D7A6352bD61B80cCCD46199C2d",
    identityProof: { type: "DNS-TXT", location: "example.com" },
  },
];

function docs() {
  return {
    "basic.json": { issuers, documentType: "certificate_of_origin", certificateNumber: "CO-2024-0001", preferential: true },
    "unicode.json": {
      issuers,
      exporter: { name: "Société Générale d'Exportation ÉÀÜ", city: "東京", note: "emoji 😀🚢 and ZWJ 👩‍👩‍👧" },
      "key with spaces": "value: with: colons",
      "ключ": "значение",
      escapes: "quote \" backslash \\ slash / tab \t newline \n cr \r bell \u0007 nul \u0000 del \u007f",
      separators: "line\u2028para\u2029",
      lone: "high \ud800 low \udc00 reversed \udc00\ud800",
      combining: "e\u0301 vs \u00e9",
    },
    "numbers.json": {
      issuers,
      ints: [0, 1, -1, 42, 1000000, 9007199254740991, 9007199254740993, 12345678901234567890, -0],
      floats: [0.1, 0.30000000000000004, 1.5, -2.75, 3.14159265358979, 123.456, 0.000001, 0.0000001],
      exponents: [1e21, 1e20, 1.5e-7, 2e-10, 6.02214076e23, 1.7976931348623157e308, 5e-324, -1e-7],
      large: 123456789012345678901234567890,
      quantity: { value: 19200, unit: "KGM" },
    },
    "nested.json": {
      issuers,
      matrix: [[1, 2], [3, [4, [5, []]]], [], [{}]],
      deep: { a: { b: { c: { d: { e: "deep" } } } } },
      items: [
        { hsCode: "090111", tags: ["coffee", "arabica"], weight: { value: 60.5, unit: "KGM" } },
        { hsCode: "090121", tags: [], weight: { value: 1, unit: "KGM" }, extra: {} },
      ],
    },
    "empty.json": { issuers, emptyObject: {}, emptyArray: [], emptyString: "", list: [{}, [], ""] },
    "literals.json": { issuers, yes: true, no: false, nothing: null, mixed: [true, false, null, 0, "", "null", "true"] },
  };
}

// Documents kept as literal JSON text, for number and escape spellings that JSON.stringify never
// writes (so the parsers on both sides, not only the hashing, are compared).
function literalDocs() {
  const iss = JSON.stringify(issuers);
  return {
    "literal-numbers.json": `{"issuers": ${iss}, "a": 9007199254740993, "b": -0, "c": 12345678901234567890,
      "d": 1.0, "e": 1E5, "f": 0.1e1, "g": 100e-2, "h": 1e400, "i": -0.0, "j": 123456789012345678901234567890,
      "k": 1e-400, "l": -1e400, "m": 2.5E+3, "n": 0.000001000, "o": 18446744073709551615, "p": -9223372036854775809}`,
    "literal-escapes.json": String.raw`{"issuers": ${iss}, "s1": "\\u00e9 is \u00e9", "s2": "\/slash\/", "s3": "pair \ud83d\ude00",
      "s4": "lone \udfff end", "s5": "\u0041\u0000\u001F\u007F\u2028", "s6": "high then text \ud83dA",
      "\u006b\u0065\u0079": "escaped key", "ünï": "raw ünïcødé"}`,
  };
}

module.exports = { docs, literalDocs, issuers };
