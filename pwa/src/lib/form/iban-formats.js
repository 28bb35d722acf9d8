// IBAN formats by country (BBAN in the IBAN registry's notation: "8!n10!n" = 8 digits,
// then 10; a = capital letters, c = letters or digits) and the SEPA countries, as the
// server's IBAN library knows them; tests/shared_cases/test_iban_formats.py keeps the
// two the same.
export const BBAN_FORMATS = {
  AD: "4!n4!n12!c", AE: "3!n16!n", AL: "8!n16!c", AO: "21!n", AT: "5!n11!n", AX: "3!n11!n", AZ: "4!a20!c",
  BA: "3!n3!n8!n2!n", BE: "3!n7!n2!n", BF: "2!c22!n", BG: "4!a4!n2!n8!c", BH: "4!a14!c", BI: "5!n5!n11!n2!n",
  BJ: "2!c22!n", BL: "5!n5!n11!c2!n", BR: "8!c5!n10!n1!c1!c", BY: "4!c4!n16!c", CF: "23!n", CG: "23!n",
  CH: "5!n12!c", CI: "2!a22!n", CM: "23!n", CR: "4!n14!n", CV: "21!n", CY: "3!n5!n16!c", CZ: "4!n6!n10!n",
  DE: "8!n10!n", DJ: "23!n", DK: "4!n9!n1!n", DO: "4!c20!n", DZ: "22!n", EE: "2!n2!n11!n1!n", EG: "4!n4!n17!n",
  ES: "4!n4!n1!n1!n10!n", FI: "3!n11!n", FK: "2!a12!n", FO: "4!n9!n1!n", FR: "5!n5!n11!c2!n", GA: "23!n",
  GB: "4!a6!n8!n", GE: "2!a16!n", GF: "5!n5!n11!c2!n", GG: "4!a6!n8!n", GI: "4!a15!c", GL: "4!n9!n1!n",
  GP: "5!n5!n11!c2!n", GQ: "23!n", GR: "3!n4!n16!c", GT: "4!c20!c", GW: "2!c19!n", HN: "4!a20!n", HR: "7!n10!n",
  HU: "3!n4!n1!n15!n1!n", IE: "4!a6!n8!n", IL: "3!n3!n13!n", IM: "4!a6!n8!n", IQ: "4!a3!n12!n", IR: "22!n",
  IS: "4!n2!n6!n10!n", IT: "1!a5!n5!n12!c", JE: "4!a6!n8!n", JO: "4!a4!n18!c", KM: "23!n", KW: "4!a22!c",
  KZ: "3!n13!c", LB: "4!n20!c", LC: "4!a24!c", LI: "5!n12!c", LT: "5!n11!n", LU: "3!n13!c", LV: "4!a13!c",
  LY: "3!n3!n15!n", MA: "24!n", MC: "5!n5!n11!c2!n", MD: "2!c18!c", ME: "3!n13!n2!n", MF: "5!n5!n11!c2!n",
  MG: "23!n", MK: "3!n10!c2!n", ML: "2!c22!n", MN: "4!n12!n", MQ: "5!n5!n11!c2!n", MR: "5!n5!n11!n2!n",
  MT: "4!a5!n18!c", MU: "4!a2!n2!n12!n3!n3!a", MZ: "21!n", NC: "5!n5!n11!c2!n", NE: "2!a22!n", NI: "4!a20!n",
  NL: "4!a10!n", NO: "4!n6!n1!n", OM: "3!n16!c", PF: "5!n5!n11!c2!n", PK: "4!a16!c", PL: "8!n16!n",
  PM: "5!n5!n11!c2!n", PS: "4!a21!c", PT: "4!n4!n11!n2!n", QA: "4!a21!c", RE: "5!n5!n11!c2!n", RO: "4!a16!c",
  RS: "3!n13!n2!n", RU: "9!n5!n15!c", SA: "2!n18!c", SC: "4!a2!n2!n16!n3!a", SD: "2!n12!n", SE: "3!n16!n1!n",
  SI: "5!n8!n2!n", SK: "4!n6!n10!n", SM: "1!a5!n5!n12!c", SN: "2!a22!n", SO: "4!n3!n12!n", ST: "4!n4!n11!n2!n",
  SV: "4!a20!n", TD: "23!n", TF: "5!n5!n11!c2!n", TG: "2!a3!n5!n12!n2!n", TL: "3!n14!n2!n", TN: "2!n3!n13!n2!n",
  TR: "5!n1!n16!c", UA: "6!n19!c", VA: "3!n15!n", VG: "4!a16!n", WF: "5!n5!n11!c2!n", XK: "4!n10!n2!n",
  YE: "4!a4!n18!c", YT: "5!n5!n11!c2!n",
};

export const SEPA_COUNTRIES = new Set("AD AT AX BE BG BL CH CY CZ DE DK EE ES FI FR GB GF GG GI GP GR HR HU IE IM IS IT JE LI LT LU LV MC MF MQ MT NC NL NO PF PL PM PT RE RO SE SI SK SM TF VA WF YT".split(" "));
