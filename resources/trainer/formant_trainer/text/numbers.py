"""Number expansion. Mirror of shared/text/numbers.ts: same patterns, same order, same words."""
from __future__ import annotations

import re

from .number_words import cardinal_words, digit_words, ordinal_words, plural_number_words, under100, year_words


def _bare(digits: str) -> str:
    return digits.replace(',', '')


def decimal_words(int_digits: str, frac) -> str:
    whole = cardinal_words(_bare(int_digits))
    return f'{whole} point {digit_words(frac)}' if frac else whole


# ---- times ----
_TIME_RE = re.compile(r'(?<![0-9:.,])([0-9]{1,2}):([0-5][0-9])(?::([0-5][0-9]))?(?![0-9]|:[0-9])(?: ?([AaPp])\.? ?[Mm](\.?)(?![A-Za-z]))?')
_HOUR_AMPM_RE = re.compile(r'(?<![0-9:.,])([0-9]{1,2}) ?([AaPp])\.? ?[Mm](\.?)(?![A-Za-z])')


def _keeps_full_stop(rest: str) -> bool:
    return re.fullmatch(r' *', rest) is not None or re.match(r' [A-Z]', rest) is not None


def _ampm_words(letter: str, dot: str, rest: str) -> str:
    words = ' a m' if letter in ('a', 'A') else ' p m'
    return words + '.' if dot and _keeps_full_stop(rest) else words


def _expand_time(m) -> str:
    h, mi, s, ap, dot = m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)
    hour = int(h)
    if hour > 24:
        return m.group(0)
    time_length = len(h) + 1 + len(mi) + (len(s) + 1 if s else 0)
    tail = m.group(0)[time_length:] if ap and (hour == 0 or hour > 12) else ''
    if tail:
        ap = None
    minute = int(mi)
    words = cardinal_words(h)
    if minute == 0 and not s:
        if not ap:
            words += ' hundred' if hour > 12 or hour == 0 else " o'clock"
    else:
        words += f' oh {digit_words(mi[1:])}' if minute < 10 else f' {under100(minute)}'
        if s:
            words += f" and {cardinal_words(s)} {'second' if s == '01' else 'seconds'}"
    if ap:
        words += _ampm_words(ap, dot or '', m.string[m.end():])
    return words + tail


def _expand_hour_ampm(m) -> str:
    h, ap, dot = m.group(1), m.group(2), m.group(3)
    hour = int(h)
    if hour == 0 or hour > 12:
        return m.group(0)
    return cardinal_words(h) + _ampm_words(ap, dot, m.string[m.end():])


# ---- money ----
_CURRENCIES = {
    '$': ('dollar', 'dollars', 'cent', 'cents'),
    '£': ('pound', 'pounds', 'penny', 'pence'),
    '€': ('euro', 'euros', 'cent', 'cents'),
    '¥': ('yen', 'yen', None, None),
}
_MONEY_RE = re.compile(r'([$£€¥])([0-9]+(?:,[0-9]{3})*)(?:\.([0-9]+))?(?: ([Hh]undred|[Tt]housand|[Mm]illion|[Bb]illion|[Tt]rillion)(?![A-Za-z]))?')
_CENTS_RE = re.compile(r'(?<![0-9.,])([0-9]+)¢')
_ONE_RE = re.compile(r'0*1')


def _expand_money(m) -> str:
    one, many, sub_one, sub_many = _CURRENCIES[m.group(1)]
    int_digits, frac, scale = m.group(2), m.group(3), m.group(4)
    if scale:
        return f'{decimal_words(int_digits, frac)} {scale.lower()} {many}'
    units = _bare(int_digits)
    if frac is not None and sub_one is not None and len(frac) <= 2:
        main = int(units)
        sub = int(frac + '0' if len(frac) == 1 else frac)
        main_words = f"{cardinal_words(units)} {one if main == 1 else many}"
        sub_words = f"{cardinal_words(str(sub))} {sub_one if sub == 1 else sub_many}"
        if main and sub:
            return f'{main_words}, {sub_words}'
        if main:
            return main_words
        if sub:
            return sub_words
        return f'zero {many}'
    if frac is not None:
        return f'{decimal_words(int_digits, frac)} {many}'
    return f"{cardinal_words(units)} {one if _ONE_RE.fullmatch(units) else many}"


# ---- percentages, ordinals, decades, negatives, fractions ----
_PERCENT_RE = re.compile(r'(?<![0-9.,])([0-9]+(?:,[0-9]{3})*)(?:\.([0-9]+))? ?%')
_ORDINAL_RE = re.compile(r'(?<![0-9.,])([0-9]+(?:,[0-9]{3})*)(st|nd|rd|th|ST|ND|RD|TH)(?![A-Za-z0-9])')
_DECADE_RE = re.compile(r"(?<![0-9.,A-Za-z])'?([0-9]{2}|[0-9]{4})s(?![A-Za-z0-9])")
_NEGATIVE_RE = re.compile(r'(?<![0-9A-Za-z.,)])[-−](?=[$£€¥]?[0-9])')
_FRACTION_RE = re.compile(r'(?<![0-9.,/])([0-9]{1,2})/([0-9]{1,2})(?![0-9]|/[0-9])')
_UNICODE_FRACTION_RE = re.compile('([0-9]?)([½⅓⅔¼¾⅛⅜⅝⅞])')
_UNICODE_FRACTIONS = {
    '½': ('1', '2'), '⅓': ('1', '3'), '⅔': ('2', '3'), '¼': ('1', '4'), '¾': ('3', '4'),
    '⅛': ('1', '8'), '⅜': ('3', '8'), '⅝': ('5', '8'), '⅞': ('7', '8'),
}


def fraction_words(num: str, den: str) -> str:
    n, d = int(num), int(den)
    one = n == 1
    if d == 2:
        den_words = 'half' if one else 'halves'
    elif d == 4:
        den_words = 'quarter' if one else 'quarters'
    else:
        den_words = ordinal_words(den) + ('' if one else 's')
    return f'{cardinal_words(num)} {den_words}'


def _expand_fraction(m) -> str:
    n, d = int(m.group(1)), int(m.group(2))
    if n == 0 or d < 2 or d > 10 or n >= d:
        return m.group(0)
    return fraction_words(m.group(1), m.group(2))


def _expand_unicode_fraction(m) -> str:
    n, d = _UNICODE_FRACTIONS[m.group(2)]
    whole = m.group(1)
    return f'{whole} and {fraction_words(n, d)}' if whole else f' {fraction_words(n, d)}'


def _expand_decade(m) -> str:
    digits = m.group(1)
    if not digits.endswith('0'):
        return m.group(0)
    if len(digits) == 2:
        return 'two thousands' if digits == '00' else plural_number_words(under100(int(digits)))
    return plural_number_words(year_words(int(digits)))


# ---- dates ----
_MONTH_DAY_RE = re.compile(r'(?<![A-Za-z])(January|February|March|April|May|June|July|August|September|October|November|December) ([0-9]{1,2})(?![0-9]|[.,:][0-9]|[A-Za-z])')


def _expand_month_day(m) -> str:
    return f'{m.group(1)} {ordinal_words(m.group(2))}' if 1 <= int(m.group(2)) <= 31 else m.group(0)


# ---- phone numbers and units ----
_PHONE_RE = re.compile(r'(?<![0-9.,-])(?:\(([0-9]{3})\) ?|([0-9]{3})-)?([0-9]{3})-([0-9]{4})(?![0-9]|-[0-9])')
_UNIT_RE = re.compile(r'(?<![0-9.,])([0-9]+(?:,[0-9]{3})*)(?:\.([0-9]+))? ?(km/h|km|kg|cm|mm|mg|ml|mph|kph|lbs|lb|oz|kHz|Hz|KB|MB|GB|TB)(?![A-Za-z0-9])')
_UNITS = {
    'km/h': ('kilometer per hour', 'kilometers per hour'), 'km': ('kilometer', 'kilometers'), 'kg': ('kilogram', 'kilograms'),
    'cm': ('centimeter', 'centimeters'), 'mm': ('millimeter', 'millimeters'), 'mg': ('milligram', 'milligrams'),
    'ml': ('milliliter', 'milliliters'), 'mph': ('mile per hour', 'miles per hour'), 'kph': ('kilometer per hour', 'kilometers per hour'),
    'lbs': ('pound', 'pounds'), 'lb': ('pound', 'pounds'), 'oz': ('ounce', 'ounces'), 'kHz': ('kilohertz', 'kilohertz'), 'Hz': ('hertz', 'hertz'),
    'KB': ('kilobyte', 'kilobytes'), 'MB': ('megabyte', 'megabytes'), 'GB': ('gigabyte', 'gigabytes'), 'TB': ('terabyte', 'terabytes'),
}


def _expand_phone(m) -> str:
    area = m.group(1) if m.group(1) is not None else m.group(2)
    return ', '.join(digit_words(g) for g in (area, m.group(3), m.group(4)) if g is not None)


def _expand_unit(m) -> str:
    i, f, unit = m.group(1), m.group(2), m.group(3)
    one, many = _UNITS[unit]
    return f"{decimal_words(i, f)} {one if not f and _ONE_RE.fullmatch(i) else many}"


# ---- separators, decimals, integers ----
_SEPARATED_RE = re.compile(r'(?<![0-9.,])([0-9]{1,3}(?:,[0-9]{3})+)(?:\.([0-9]+))?(?![0-9]|,[0-9])')
_DECIMAL_RE = re.compile(r'(?<![0-9.,])([0-9]+)\.([0-9]+)(?![0-9]|\.[0-9])')
_LEADING_POINT_RE = re.compile(r'(?<![0-9A-Za-z.,])\.([0-9]+)(?![0-9]|\.[0-9])')
_YEAR_RANGE_RE = re.compile(r'(?<![0-9.,-])([12][0-9]{3})-([12][0-9]{3})(?![0-9]|-[0-9])')
_LETTER_DIGIT_RE = re.compile(r'([A-Za-z])(?=[0-9])')
_DIGIT_LETTER_RE = re.compile(r'([0-9])(?=[A-Za-z])')
_INTEGER_RE = re.compile(r'[0-9]+')


def integer_words(digits: str) -> str:
    if len(digits) > 1 and digits.startswith('0'):
        return digit_words(digits)
    if len(digits) == 4:
        return year_words(int(digits))
    return cardinal_words(digits)


def expand_numbers(text: str) -> str:
    text = _NEGATIVE_RE.sub('minus ', text)
    text = _TIME_RE.sub(_expand_time, text)
    text = _HOUR_AMPM_RE.sub(_expand_hour_ampm, text)
    text = _MONTH_DAY_RE.sub(_expand_month_day, text)
    text = _MONEY_RE.sub(_expand_money, text)
    text = _CENTS_RE.sub(lambda m: f"{cardinal_words(m.group(1))} {'cent' if _ONE_RE.fullmatch(m.group(1)) else 'cents'}", text)
    text = _PERCENT_RE.sub(lambda m: f'{decimal_words(m.group(1), m.group(2))} percent', text)
    text = _ORDINAL_RE.sub(lambda m: ordinal_words(_bare(m.group(1))), text)
    text = _DECADE_RE.sub(_expand_decade, text)
    text = _UNICODE_FRACTION_RE.sub(_expand_unicode_fraction, text)
    text = _FRACTION_RE.sub(_expand_fraction, text)
    text = _YEAR_RANGE_RE.sub(lambda m: f'{m.group(1)} to {m.group(2)}' if int(m.group(2)) > int(m.group(1)) else m.group(0), text)
    text = _PHONE_RE.sub(_expand_phone, text)
    text = _UNIT_RE.sub(_expand_unit, text)
    text = _SEPARATED_RE.sub(lambda m: decimal_words(m.group(1), m.group(2)), text)
    text = _DECIMAL_RE.sub(lambda m: decimal_words(m.group(1), m.group(2)), text)
    text = _LEADING_POINT_RE.sub(lambda m: f'point {digit_words(m.group(1))}', text)
    text = _LETTER_DIGIT_RE.sub(r'\1 ', text)
    text = _DIGIT_LETTER_RE.sub(r'\1 ', text)
    return _INTEGER_RE.sub(lambda m: integer_words(m.group(0)), text)
