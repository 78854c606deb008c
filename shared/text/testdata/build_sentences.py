#!/usr/bin/env python3
"""Builds sentences.json from the hand-written cases below, WITHOUT running either frontend:
`normalized` is written by hand; `cleaned` is written by hand where transliteration matters, otherwise it
is the normalized text lowercased with double quotes removed (what englishCleaners adds on top of
normalizeText); `ids` are the cleaned characters looked up in symbols.json. Both implementations are then
tested against this file (shared/text/parity.spec.ts).

    python3 shared/text/testdata/build_sentences.py     # rewrites shared/text/testdata/sentences.json
"""
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (rule, input, normalized[, cleaned])
CASES = [
    # ---- cardinals ----
    ('cardinal', 'I have 0 apples.', 'I have zero apples.'),
    ('cardinal', 'There were 7 of them.', 'There were seven of them.'),
    ('cardinal', 'He counted 13, 40 and 99.', 'He counted thirteen, forty and ninety-nine.'),
    ('cardinal', 'It cost 100 and then 101.', 'It cost one hundred and then one hundred one.'),
    ('cardinal', 'The hall seats 999 people.', 'The hall seats nine hundred ninety-nine people.'),
    ('cardinal: separators', 'About 1,000 soldiers.', 'About one thousand soldiers.'),
    ('cardinal: inflect commas', 'A total of 6,439 persons.', 'A total of six thousand, four hundred thirty-nine persons.'),
    ('cardinal: one-word last group', 'Exactly 7,020 for Middlesex.', 'Exactly seven thousand twenty for Middlesex.'),
    ('cardinal: millions', 'The city has 1,234,567 residents.',
     'The city has one million, two hundred thirty-four thousand, five hundred sixty-seven residents.'),
    ('cardinal: not a year', 'Roughly 3000 or 12345 or 999999.',
     'Roughly three thousand or twelve thousand, three hundred forty-five or nine hundred ninety-nine thousand, nine hundred ninety-nine.'),
    ('cardinal: large', 'The debt is 1000000000000 and 2,000,000,001.', 'The debt is one trillion and two billion one.'),
    ('cardinal: leading zeros', 'Agent 007 reporting.', 'Agent zero zero seven reporting.'),
    ('negative', 'It fell to -5 and then -12.5 degrees.', 'It fell to minus five and then minus twelve point five degrees.'),
    ('negative + degrees', 'Temperature: -40°F.', 'Temperature: minus forty degrees Fahrenheit.'),
    ('hyphen is not minus', 'A 3-2 win.', 'A three-two win.'),
    # ---- ordinals ----
    ('ordinal', 'On the 1st, 2nd, 3rd and 4th of May.', 'On the first, second, third and fourth of May.'),
    ('ordinal', 'The 22nd, 101st and 112th.', 'The twenty-second, one hundred first and one hundred twelfth.'),
    ('ordinal', 'His 1000th visit in the 20TH century.', 'His one thousandth visit in the twentieth century.'),
    ('ordinal + year', 'the 5th of November, 1605', 'the fifth of November, sixteen oh five'),
    # ---- decimals ----
    ('decimal', 'Pi is about 3.14159.', 'Pi is about three point one four one five nine.'),
    ('decimal', 'A ratio of 0.5 or .75 at most.', 'A ratio of zero point five or point seven five at most.'),
    ('decimal + separators', 'It weighs 1,234.5 kilograms.', 'It weighs one thousand, two hundred thirty-four point five kilograms.'),
    # ---- money ----
    ('money: dollars and cents', 'It costs $3.50.', 'It costs three dollars, fifty cents.'),
    ('money: singular', 'Only $1 or $1.01 or $0.99 or $0.01.',
     'Only one dollar or one dollar, one cent or ninety-nine cents or one cent.'),
    ('money: zero, one decimal', 'From $0.00 to $3.5 and $2.00.', 'From zero dollars to three dollars, fifty cents and two dollars.'),
    ('money: separators', 'He paid $2,500.', 'He paid two thousand, five hundred dollars.'),
    ('money: pounds', 'It was £10 and £3.50 and £1.01.', 'It was ten pounds and three pounds, fifty pence and one pound, one penny.'),
    ('money: euros', 'Tickets are €20.05 each.', 'Tickets are twenty euros, five cents each.'),
    ('money: scale words', 'Budgets of $5 million and $1.5 billion.', 'Budgets of five million dollars and one point five billion dollars.'),
    ('money: yen, cents sign', 'It costs ¥500 or 5¢.', 'It costs five hundred yen or five cents.'),
    ('money: many decimals', 'Gas at $3.999 a gallon.', 'Gas at three point nine nine nine dollars a gallon.'),
    # ---- years ----
    ('year', 'In 1984 and 1066 and 1905.', 'In nineteen eighty-four and ten sixty-six and nineteen oh five.'),
    ('year: 2000s', 'In 2000, 2005, 2010 and 2024.', 'In two thousand, two thousand five, twenty ten and twenty twenty-four.'),
    ('year: hundreds', 'In 1800 and 1100.', 'In eighteen hundred and eleven hundred.'),
    ('decades', "The 1990s, the 2000s and the '80s.", 'The nineteen nineties, the two thousands and the eighties.'),
    ('decades', 'the 1800s and the 60s', 'the eighteen hundreds and the sixties'),
    ('year range', 'During 1914-1918 and 1939–1945.', 'During nineteen fourteen to nineteen eighteen and nineteen thirty-nine to nineteen forty-five.'),
    # ---- dates ----
    ('date: month day', 'On January 5, 1984 and March 31st.', 'On January fifth, nineteen eighty-four and March thirty-first.'),
    ('date: abbreviated month', 'Due Jan. 15 or Sept. 2; ask Jan. Smith.', 'Due January fifteenth or September second; ask Jan. Smith.'),
    ('date: not a day', 'In May 1990 and June 45 times.', 'In May nineteen ninety and June forty-five times.'),
    # ---- times ----
    ('time', 'Meet me at 3:45 pm.', 'Meet me at three forty-five p m.'),
    ('time', 'At 10:05 a.m. the bell rang.', 'At ten oh five a m the bell rang.'),
    ('time', 'Wake at 7:00 AM, sleep at 11 pm.', 'Wake at seven a m, sleep at eleven p m.'),
    ('time: 24h', 'Leaves at 14:30 and arrives at 18:00.', 'Leaves at fourteen thirty and arrives at eighteen hundred.'),
    ("time: o'clock", 'It is 3:00 now.', "It is three o'clock now."),
    ('time: sentence end', 'Come at 5 p.m. Bring food.', 'Come at five p m. Bring food.'),
    ('time: impossible am/pm kept as written', 'Dinner at 13:30 pm.', 'Dinner at thirteen thirty pm.'),
    # ---- percentages ----
    ('percent', 'Sales rose 50% and then 12.5 %.', 'Sales rose fifty percent and then twelve point five percent.'),
    ('percent', 'I am 100% sure.', 'I am one hundred percent sure.'),
    # ---- abbreviations ----
    ('abbreviation', 'Mr. Smith and Mrs. Jones met Dr. Watson.', 'Mister Smith and Misess Jones met Doctor Watson.'),
    ('abbreviation: saint/street', 'St. Paul lived on Baker St.', 'Saint Paul lived on Baker Street.'),
    ('abbreviation: ranks', 'Maj. Gen. Lee, Lt. Col. Ray, Sgt. Cole and Capt. Hook.',
     'Major General Lee, Lieutenant Colonel Ray, Sergeant Cole and Captain Hook.'),
    ('abbreviation', 'Rev. Green, Hon. Judge Black, John Smith Jr. and Drs. Who.',
     'Reverend Green, Honorable Judge Black, John Smith Junior and Doctors Who.'),
    ('abbreviation: chained suffixes', 'Smith & Co. Ltd. and Jones Esq.', 'Smith and Company Limited and Jones Esquire.'),
    ('abbreviation: etc', 'Apples, pears, etc. are fruit.', 'Apples, pears, et cetera are fruit.'),
    ('abbreviation: etc at end', 'Apples, pears, etc.', 'Apples, pears, et cetera.'),
    ('abbreviation: e.g. i.e.', 'Fruit, e.g. apples, i.e. food.', 'Fruit, for example apples, that is food.'),
    ('abbreviation: no.', 'Room No. 5, not no. 6, and I said no.', 'Room Number five, not number six, and I said no.'),
    ('abbreviation', 'Ft. Worth and Mt. Everest.', 'Fort Worth and Mount Everest.'),
    ('abbreviation', 'Prof. Plum vs. Messrs. Green.', 'Professor Plum versus Messieurs Green.'),
    ('abbreviation: uppercase', 'MR. JONES', 'Mister JONES'),
    # ---- phone numbers and units ----
    ('phone', 'Call (555) 123-4567 or 555-987-6543 or 555-0199.',
     'Call five five five, one two three, four five six seven or five five five, nine eight seven, six five four three or five five five, zero one nine nine.'),
    ('units', 'It ran 1 km at 30 km/h, weighed 2.5 kg and 1 lb, with a 64 GB card at 44.1 kHz.',
     'It ran one kilometer at thirty kilometers per hour, weighed two point five kilograms and one pound, with a sixty-four gigabytes card at forty-four point one kilohertz.'),
    ('units: not after words', 'The km sign and 5 kmh.', 'The km sign and five kmh.'),
    # ---- symbols ----
    ('symbols', 'Rock & roll @ home + more = fun', 'Rock and roll at home plus more equals fun'),
    ('symbols: degrees', 'It is 20°C outside, 68 ° F.', 'It is twenty degrees Celsius outside, sixty-eight degrees Fahrenheit.'),
    ('symbols: number sign, fractions', 'He scored #1 and ate 1/2 of 3/4 of a pie.',
     'He scored number one and ate one half of three quarters of a pie.'),
    ('fractions: unicode', 'Add 2½ cups and ¾ spoon.', 'Add two and one half cups and three quarters spoon.'),
    ('fractions: dates stay', 'On 12/25 we rest.', 'On twelve slash twenty-five we rest.'),
    ('symbols: slash', 'Bring cash and/or cards.', 'Bring cash and slash or cards.'),
    ('punctuation: unicode quotes and dashes', '“Hello,” she said — ‘really’…',
     '"Hello," she said -- \'really\'...', "hello, she said -- 'really'..."),
    ('punctuation: en dash range', 'Read pages 10–20.', 'Read pages ten to twenty.'),
    ('punctuation: brackets', 'See [note] and {this}.', 'See (note) and (this).'),
    ('punctuation: stripped symbols', 'A*B_C~D|E', 'A B C D E'),
    # ---- Roman numerals ----
    ('roman', 'George II and Henry VIII in Chapter IV of World War II.',
     'George the second and Henry the eighth in Chapter four of World War two.'),
    ('roman: ambiguous left alone', 'I met Malcolm X and then I left.', 'I met Malcolm X and then I left.'),
    # ---- transliteration (cleaners) ----
    ('transliteration', 'Café naïve façade Ångström Æsop straße Łódź',
     'Café naïve façade Ångström Æsop straße Łódź', 'cafe naive facade angstrom aesop strasse lodz'),
    ('transliteration: ligatures, lone cent sign', 'Prices in ¢ and ﬁne print.', 'Prices in cents and ﬁne print.',
     'prices in cents and fine print.'),
    ('transliteration: decomposed accent', 'Cafe\u0301 Noe\u0308l', 'Café Noël', 'cafe noel'),
    # ---- whitespace and mixed ----
    ('whitespace', '  Hello\t\tworld \n again\u00a0 ', 'Hello world again'),
    ('whitespace: empty', '   ', ''),
    ('digits in words', 'Play the mp3 on channel4.', 'Play the mp three on channel four.'),
    ('punctuation kept', 'Wait... what?! (Yes; no: maybe.)', 'Wait... what?! (Yes; no: maybe.)'),
    # ---- LJSpeech transcripts (text column of ../shared/data metadata.csv) ----
    ('lj LJ001-0007', 'the earliest book printed with movable types, the Gutenberg, or "forty-two line Bible" of about 1455,',
     'the earliest book printed with movable types, the Gutenberg, or "forty-two line Bible" of about fourteen fifty-five,'),
    ('lj LJ002-0010', 'these numbers had risen to 275 and 375 respectively, or 650 in all.',
     'these numbers had risen to two hundred seventy-five and three hundred seventy-five respectively, or six hundred fifty in all.'),
    ('lj LJ002-0011', 'For two more years these high figures were steadily maintained, and in 1803 the total rose to 710.',
     'For two more years these high figures were steadily maintained, and in eighteen oh three the total rose to seven hundred ten.'),
    ('lj LJ002-0014', 'The numbers soon increased, however, and by 1811 had again risen to 629; and Mr. Neild was told that there had been at one time',
     'The numbers soon increased, however, and by eighteen eleven had again risen to six hundred twenty-nine; and Mister Neild was told that there had been at one time'),
    ('lj LJ001-0092', "The Chiswick press in 1844 revived Caslon's founts, printing for Messrs. Longman the Diary of Lady Willoughby.",
     "The Chiswick press in eighteen forty-four revived Caslon's founts, printing for Messieurs Longman the Diary of Lady Willoughby."),
    ('lj LJ002-0001', 'The Chronicles of Newgate, Volume 2. By Arthur Griffiths. Section 4: Newgate down to 1818.',
     'The Chronicles of Newgate, Volume two. By Arthur Griffiths. Section four: Newgate down to eighteen eighteen.'),
    ('lj LJ001-0055', 'some of which -- as, e.g., that of Jacobus Rubeus or Jacques le Rouge -- is scarcely distinguishable from his.',
     'some of which -- as, for example, that of Jacobus Rubeus or Jacques le Rouge -- is scarcely distinguishable from his.'),
    ('lj LJ002-0122', 'The number of arrests actually made was 114,300 for the kingdom, and 7020 for Middlesex.',
     'The number of arrests actually made was one hundred fourteen thousand, three hundred for the kingdom, and seven thousand twenty for Middlesex.'),
    ('lj LJ002-0126', '5719 writs and executions for debts between £10 and £20 were issued in Middlesex,',
     'five thousand, seven hundred nineteen writs and executions for debts between ten pounds and twenty pounds were issued in Middlesex,'),
    ('lj LJ002-0199', 'but in the 27th George II the right of presentation was bought by the Crown for £10,500.',
     'but in the twenty-seventh George the second the right of presentation was bought by the Crown for ten thousand, five hundred pounds.'),
    ('lj LJ002-0025', 'Returns laid before the House of Commons showed that 6439 persons had been committed to Newgate',
     'Returns laid before the House of Commons showed that six thousand, four hundred thirty-nine persons had been committed to Newgate'),
    ('lj LJ001-0001', 'Printing, in the only sense with which we are at present concerned, differs from most if not from all the arts and crafts represented in the Exhibition',
     'Printing, in the only sense with which we are at present concerned, differs from most if not from all the arts and crafts represented in the Exhibition'),
]


def derive_cleaned(normalized: str) -> str:
    return re.sub(' {2,}', ' ', normalized.lower().replace('"', '')).strip(' ')


def main() -> None:
    table = json.loads((HERE.parent / 'symbols.json').read_text(encoding='utf-8'))
    index = {s: i for i, s in enumerate(table['symbols'])}
    entries = []
    for case in CASES:
        rule, text, normalized = case[:3]
        cleaned = case[3] if len(case) > 3 else derive_cleaned(normalized)
        missing = sorted({c for c in cleaned if c not in index})
        assert not missing, f'{text!r}: cleaned text has symbols outside the table: {missing}'
        entries.append({'rule': rule, 'input': text, 'normalized': normalized, 'cleaned': cleaned,
                        'ids': [index[c] for c in cleaned]})
    out = HERE / 'sentences.json'
    out.write_text(json.dumps(entries, indent=1, ensure_ascii=False) + '\n', encoding='utf-8')
    print(f'{len(entries)} entries -> {out}')


if __name__ == '__main__':
    main()
