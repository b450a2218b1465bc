#!/usr/bin/env python3
"""Builds the fuzzers' seed corpora at run time (scripts/fuzz calls it).

Seeds come from three places, none of them copied into the repository:
the hand-written seeds in fuzz/seeds/<target>/, the test data written inline
in tests/ (raw string literals and string literals), the normalizer's labelled
sets, the example configs, and ../shared/corpus/ when it exists. Each fuzzer
that reads a control byte first gets its seeds with the control bytes that
matter. Files are named by content hash, so running it twice changes nothing.

usage: make_seeds.py SOURCE_DIR OUT_DIR [CORPUS_DIR]
"""
import hashlib
import os
import re
import sys

MAX_SEED = 16 * 1024  # larger corpus pages are cut, as scripts/fuzz's -max_len does

RAW_RE = re.compile(r'R"([^(\s]{0,16})\((.*?)\)\1"', re.S)
# Adjacent string literals ("a" "b") are one string in C++.
LIT_RE = re.compile(r'"((?:[^"\\\n]|\\.)*)"(?:\s*"((?:[^"\\\n]|\\.)*)")*')
PIECE_RE = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
ESCAPES = {'n': b'\n', 't': b'\t', 'r': b'\r', '"': b'"', '\\': b'\\', "'": b"'", '0': b'\0',
           'f': b'\f', 'v': b'\v', 'a': b'\a', 'b': b'\b', '?': b'?'}


def unescape(s):
    out = bytearray()
    raw = s.encode('utf-8')
    i = 0
    while i < len(raw):
        c = raw[i:i + 1]
        if c != b'\\' or i + 1 >= len(raw):
            out += c
            i += 1
            continue
        e = chr(raw[i + 1])
        if e == 'x':
            m = re.match(rb'[0-9a-fA-F]{1,2}', raw[i + 2:])
            out.append(int(m.group(0), 16) if m else 0)
            i += 2 + (len(m.group(0)) if m else 0)
        elif e in 'uU':
            n = 4 if e == 'u' else 8
            try:
                out += chr(int(raw[i + 2:i + 2 + n], 16)).encode('utf-8', 'surrogatepass')
            except ValueError:
                pass
            i += 2 + n
        else:
            out += ESCAPES.get(e, e.encode())
            i += 2
    return bytes(out)


def read(path):
    try:
        with open(path, 'rb') as f:
            return f.read()
    except OSError:
        return b''


def raw_strings(path):
    text = read(path).decode('utf-8', 'replace')
    return [m.group(2).encode('utf-8') for m in RAW_RE.finditer(text)]


def literals(path, min_len=1):
    text = RAW_RE.sub('""', read(path).decode('utf-8', 'replace'))
    text = re.sub(r'^\s*#\s*include.*$', '', text, flags=re.M)
    out = []
    for m in LIT_RE.finditer(text):
        s = b''.join(unescape(p) for p in PIECE_RE.findall(m.group(0)))
        if len(s) >= min_len:
            out.append(s)
    return out


def tsv_column(path, column=0):
    out = []
    for line in read(path).decode('utf-8', 'replace').splitlines():
        if not line or line.startswith('#'):
            continue
        cells = line.split('\t')
        if len(cells) > column and cells[column]:
            out.append(cells)
    return out


def files(folder, limit=MAX_SEED):
    if not folder or not os.path.isdir(folder):
        return []
    out = []
    for root, _, names in os.walk(folder):
        for name in sorted(names):
            data = read(os.path.join(root, name))[:limit]
            if data:
                out.append((name, data))
    return out


class Seeds:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.counts = {}

    def add(self, target, data, prefix=b''):
        data = prefix + data
        if not data:
            return
        folder = os.path.join(self.out_dir, target)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, hashlib.sha1(data).hexdigest())
        if not os.path.exists(path):
            with open(path, 'wb') as f:
                f.write(data)
            self.counts[target] = self.counts.get(target, 0) + 1


SALARY_COUNTRIES = ['', 'US', 'GB', 'IN', 'DE', 'CA', 'AU', 'JP']
LOCATION_COUNTRIES = ['', 'US', 'GB', 'IN', 'DE', 'CA', 'AU', 'FR']
BOARD_KINDS = ['greenhouse', 'lever', 'ashby', 'workable', 'smartrecruiters', 'recruitee',
               'remotive', 'remoteok', 'workday', 'personio', 'breezy', 'rippling', 'himalayas',
               'jobicy', 'arbeitnow', 'landingjobs', '4dayweek', 'workingnomads', 'themuse',
               'usajobs']


def country_byte(code, table):
    code = (code or '').strip().upper()
    return bytes([table.index(code) if code in table else 0])


def main():
    src, out = sys.argv[1], sys.argv[2]
    corpus = sys.argv[3] if len(sys.argv) > 3 else ''
    if corpus and not os.path.isdir(corpus):
        corpus = ''
    seeds = Seeds(out)
    t = lambda *p: os.path.join(src, 'tests', *p)
    c = lambda p: os.path.join(corpus, p) if corpus else ''

    # Hand-written seeds, as they are.
    hand = os.path.join(src, 'fuzz', 'seeds')
    if os.path.isdir(hand):
        for target in sorted(os.listdir(hand)):
            for _, data in files(os.path.join(hand, target)):
                seeds.add(target, data)

    pages = []
    for name in ['extractor_test.cc', 'microdata_test.cc', 'json_ld_test.cc', 'selector_test.cc',
                 'robustness_test.cc']:
        pages += raw_strings(t('parsers', name))
    corpus_pages = [d for sub in ['listing', 'jsonld', 'plain', 'schemaorg-examples']
                    for _, d in files(c(sub))]
    for page in pages + corpus_pages:
        seeds.add('html_extract', page, b'\x00')
        seeds.add('html_extract', page, b'\x18')
        seeds.add('microdata', page)
    for page in pages:
        seeds.add('json_ld', page)
    for _, d in files(c('jsonld')) + files(c('schemaorg-examples')):
        seeds.add('json_ld', d)

    for s in raw_strings(t('parsers', 'lenient_json_test.cc')) + literals(
            t('parsers', 'lenient_json_test.cc'), 2):
        seeds.add('lenient_json', s)
        seeds.add('json_ld', s)
    for s in raw_strings(t('parsers', 'json_ld_test.cc')):
        seeds.add('lenient_json', s)
    for name, d in files(c('api')):
        seeds.add('lenient_json', d)

    for s in raw_strings(t('parsers', 'html_text_test.cc')) + literals(
            t('parsers', 'html_text_test.cc'), 2):
        seeds.add('html_text', s)

    sel_test = t('parsers', 'selector_test.cc')
    selectors = [s for s in literals(sel_test, 1) if len(s) < 80 and b'<' not in s and b'\n' not in s]
    htmls = raw_strings(sel_test) + pages[:20] + [d for _, d in files(c('listing'), 16384)]
    for i, html in enumerate(htmls):
        for sel in selectors[i % max(1, len(selectors))::max(1, len(htmls))][:3] or [b'a']:
            seeds.add('selector', sel + b'\n' + html)
    for sel in selectors:
        seeds.add('selector', sel + b'\n<div class="a b" id="x"><p>1</p><p lang="en-US">2</p></div>')

    for s in raw_strings(t('parsers', 'feed_test.cc')):
        seeds.add('feed', s, b'\x00')
        seeds.add('feed', s, b'\x01')
    for _, d in files(c('feed')):
        seeds.add('feed', d, b'\x00')
        seeds.add('feed', d, b'\x02')
        seeds.add('feed', d, b'\x01')

    for test in ('board_api_test.cc', 'boards_test.cc'):
        for s in raw_strings(t('parsers', test)):
            for kind in range(len(BOARD_KINDS)):
                seeds.add('board_api', s, bytes([kind]))
    for name, d in files(c('api')):
        kinds = [i for i, k in enumerate(BOARD_KINDS) if k in name.lower()] or [0]
        for kind in kinds:
            seeds.add('board_api', d, bytes([kind]))

    for s in literals(t('crawler', 'robots_test.cc'), 4):
        seeds.add('robots', s)

    for s in literals(t('parsers', 'charset_test.cc'), 2):
        seeds.add('charset', s, b'\x00')
        seeds.add('charset', s, b'\x03')
    for _, d in files(c('plain'), 8192) + files(c('feed'), 8192):
        seeds.add('charset', d, b'\x00')

    for folder in ['labelled', 'holdout']:
        for cells in tsv_column(t('normalize', folder, 'salary.tsv')):
            seeds.add('normalize_salary', cells[0].encode(),
                      country_byte(cells[1] if len(cells) > 1 else '', SALARY_COUNTRIES))
        for cells in tsv_column(t('normalize', folder, 'location.tsv')):
            seeds.add('normalize_location', cells[0].encode(),
                      country_byte(cells[1] if len(cells) > 1 else '', LOCATION_COUNTRIES))
        for cells in tsv_column(t('normalize', folder, 'date.tsv')):
            us = len(cells) > 1 and cells[1].strip().upper() == 'US'
            seeds.add('normalize_date', cells[0].encode(), b'\x01' if us else b'\x00')
    for s in literals(t('normalize', 'normalize_test.cc'), 2):
        seeds.add('normalize_salary', s, b'\x00')
        seeds.add('normalize_location', s, b'\x00')
        seeds.add('normalize_date', s, b'\x00')

    urls = literals(t('parsers', 'url_test.cc'), 1)
    for a, b in zip(urls, urls[1:]):
        seeds.add('url', a + b'\n' + b)

    for s in raw_strings(t('config', 'config_test.cc')):
        seeds.add('config', s)
    for name in ['jobtrawl.toml', 'jobtrawl.example.toml']:
        seeds.add('config', read(os.path.join(src, 'config', name)))
    for _, d in files(os.path.join(src, 'config', 'examples')):
        seeds.add('config', d)
    for s in literals(t('config', 'units_test.cc'), 1):
        seeds.add('config', s)

    for target in sorted(seeds.counts):
        print(f'seeds {target}: {seeds.counts[target]} new', file=sys.stderr)


if __name__ == '__main__':
    main()
