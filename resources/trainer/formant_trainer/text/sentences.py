"""Sentence and clause splitting. Mirror of shared/text/sentences.ts.
Offsets are Python string indices (code points); they equal the TypeScript ones (UTF-16 code units) for
text without characters outside the Basic Multilingual Plane (emoji)."""
from __future__ import annotations

import math
import re

from .abbreviations import MONTH_ABBREVIATIONS, SUFFIX_ABBREVIATIONS, TITLE_ABBREVIATIONS

_NON_TERMINAL = set(TITLE_ABBREVIATIONS) | set(MONTH_ABBREVIATIONS) | {'e.g', 'i.e', 'cf', 'fig', 'approx', 'vol', 'pp', 'ch'}
_SENTENCE_STARTERS = {
    'A', 'After', 'All', 'An', 'And', 'As', 'At', 'Before', 'But', 'Each', 'For', 'He', 'Her', 'His', 'How', 'However', 'I',
    'If', 'In', 'It', 'Its', 'Many', 'Most', 'My', 'No', 'Not', 'Now', 'On', 'One', 'Our', 'She', 'So', 'Some', 'That',
    'The', 'Their', 'Then', 'There', 'These', 'They', 'This', 'Those', 'We', 'What', 'When', 'Where', 'Who', 'Why', 'Yes', 'You',
}
_TERMINAL_RUN_RE = re.compile('[.!?…]+["\')\\]”’»]*')
_WS_CLASS = '[\t\n\v\f\r \u00a0\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]'
_WS_RE = re.compile(_WS_CLASS)
_PARAGRAPH_RE = re.compile('\r?\n[\t\v\f\r \u00a0]*\r?\n[\t\n\v\f\r \u00a0]*')
_UPPER_OR_OPENER_RE = re.compile('[A-Z0-9"\'(\\[“‘«¿¡]|[^\x00-\x7f]')
_ENUMERATOR_RE = re.compile(r'\(?(?:[0-9]{1,3}|[A-Za-z])')
_EDGE_WS_RE = re.compile(f'^{_WS_CLASS}+|{_WS_CLASS}+\\Z')
_LEADING_OPENERS_RE = re.compile('^["\'(\\[“‘«]+')
_HAS_WORD_RE = re.compile('[A-Za-z0-9\u00c0-\U0010ffff]')
_BLANK_LINE_RE = re.compile('\n[\t\v\f\r \u00a0]*\n')
_STRONG_CLAUSE_END_RE = re.compile('[;:—–)]')
_WEAK_CLAUSE_END_RE = re.compile(',')


def _is_ws(c: str) -> bool:
    return _WS_RE.match(c) is not None


def _trim_ws(s: str) -> str:
    return _EDGE_WS_RE.sub('', s)


def _is_lower(c: str) -> bool:
    return c.lower() == c and c.upper() != c


def _word_before(text: str, end: int) -> str:
    i = end
    while i > 0 and not _is_ws(text[i - 1]):
        i -= 1
    return _LEADING_OPENERS_RE.sub('', text[i:end])


def _is_boundary(text: str, run_start: int, run_end: int) -> bool:
    nxt = run_end
    if nxt >= len(text):
        return True
    if not _is_ws(text[nxt]):
        return False
    while nxt < len(text) and _is_ws(text[nxt]):
        nxt += 1
    if nxt >= len(text):
        return True
    c = text[nxt]
    run = text[run_start:run_end]
    if re.search('[!?]', run):
        return not _is_lower(c)
    if re.search('\\.\\.|…', run):
        return not _is_lower(c) and _UPPER_OR_OPENER_RE.match(c) is not None
    if _is_lower(c):
        return False
    word = _word_before(text, run_start)
    key = word.lower()
    if key == 'no':
        return re.match('[0-9]', c) is None
    if key in _NON_TERMINAL:
        return False
    following = re.match(r'([A-Za-z]+)\.', text[nxt:])
    if key in SUFFIX_ABBREVIATIONS and following and following.group(1).lower() in SUFFIX_ABBREVIATIONS:
        return False
    if re.fullmatch(r'(?:[A-Za-z]\.)*[A-Za-z]', word) and re.match('[A-Z]', c):
        return re.match('[A-Za-z]*', text[nxt:]).group(0) in _SENTENCE_STARTERS
    return _UPPER_OR_OPENER_RE.match(c) is not None


def _looks_wrapped(lines) -> bool:
    if len(lines) < 3:
        return False
    lengths = [len(_trim_ws(l)) for l in lines[:-1]]
    mx = max(lengths)
    return mx >= 40 and len([n for n in lengths if n >= 0.7 * mx]) >= 0.8 * len(lengths)


def _hard_blocks(text: str, newlines: str):
    paragraphs = []
    last = 0
    for m in _PARAGRAPH_RE.finditer(text):
        paragraphs.append((last, m.start()))
        last = m.end()
    paragraphs.append((last, len(text)))
    blocks = []
    for s, e in paragraphs:
        para = text[s:e]
        split_lines = newlines == 'always' or (newlines == 'auto' and not _looks_wrapped(para.split('\n')))
        if not split_lines:
            blocks.append((s, e))
            continue
        ls = s
        for i in range(s, e):
            if text[i] == '\n':
                blocks.append((ls, i))
                ls = i + 1
        blocks.append((ls, e))
    return blocks


def _trimmed_span(text: str, start: int, end: int):
    while start < end and _is_ws(text[start]):
        start += 1
    while end > start and _is_ws(text[end - 1]):
        end -= 1
    return {'text': text[start:end], 'start': start, 'end': end} if start < end else None


def split_sentences(text: str, newlines: str = 'auto') -> list:
    """[{'text', 'start', 'end'}] as splitSentences in sentences.ts."""
    spans = []
    for bs, be in _hard_blocks(text, newlines):
        block = text[bs:be]
        start = 0
        for m in _TERMINAL_RUN_RE.finditer(block):
            run_end = m.end()
            if not _is_boundary(block, m.start(), run_end):
                continue
            if m.group(0) == '.' and _ENUMERATOR_RE.fullmatch(_trim_ws(block[start:m.start()])):
                continue
            span = _trimmed_span(text, bs + start, bs + run_end)
            if span:
                spans.append(span)
            start = run_end
        tail = _trimmed_span(text, bs + start, be)
        if tail:
            spans.append(tail)
    merged = []
    pending_start = None
    for s in spans:
        if _HAS_WORD_RE.search(s['text']):
            start = s['start'] if pending_start is None else pending_start
            merged.append({'text': text[start:s['end']], 'start': start, 'end': s['end']})
            pending_start = None
        elif merged and not _BLANK_LINE_RE.search(text[merged[-1]['end']:s['start']]):
            prev = merged[-1]
            merged[-1] = {'text': text[prev['start']:s['end']], 'start': prev['start'], 'end': s['end']}
        elif pending_start is None:
            pending_start = s['start']
    return merged


def split_clauses(sentence: str, max_chars: int) -> list:
    """Pieces of at most max_chars, as splitClauses in sentences.ts."""
    if not (max_chars >= 1):
        raise ValueError(f'split_clauses: max_chars must be >= 1, got {max_chars}')
    out = []
    min_piece = max(1, max_chars // 3)
    pos = 0
    n = len(sentence)
    while True:
        while pos < n and _is_ws(sentence[pos]):
            pos += 1
        if pos >= n:
            break
        end = n
        while end > pos and _is_ws(sentence[end - 1]):
            end -= 1
        if end - pos <= max_chars:
            out.append({'text': sentence[pos:end], 'start': pos, 'end': end})
            break
        target = pos + math.ceil((end - pos) / math.ceil((end - pos) / max_chars))
        strong_cut = -1
        weak_cut = -1
        space_cut = -1
        j = pos + 1
        while j <= pos + max_chars and j < end:
            if _is_ws(sentence[j]) and not _is_ws(sentence[j - 1]):
                if space_cut < 0 or abs(j - target) <= abs(space_cut - target):
                    space_cut = j
                if j - pos >= min_piece:
                    tail = sentence[max(pos, j - 2):j]
                    if _STRONG_CLAUSE_END_RE.match(tail[-1]) or tail == '--':
                        strong_cut = j
                    elif _WEAK_CLAUSE_END_RE.match(tail[-1]):
                        weak_cut = j
            j += 1
        cut = strong_cut if strong_cut > 0 else weak_cut if weak_cut > 0 else space_cut
        if cut < 0:
            cut = pos + max_chars
            while cut < end and not _is_ws(sentence[cut]):
                cut += 1
        out.append(_trimmed_span(sentence, pos, cut))
        pos = cut
    return out
