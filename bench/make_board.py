#!/usr/bin/env python3
"""Generates the benchmark's job boards: static files for nginx, deterministic.

Two boards on one site, /a/ and /b/, each with paginated listing pages
(50 postings a page, rel="next") and one detail page per posting. Detail
pages are 25-60 KB of realistic markup (header, navigation, inline CSS and
JS, long descriptions with lists, non-ASCII text, three templates) with the
posting as schema.org JobPosting JSON-LD and the same fields in the HTML.
20% of board B's postings are cross-posts of board A's with light edits.

Writes DIR/site/... and DIR/truth.json: every detail URL with the job it
shows, the distinct jobs, and the cross-posts.

With --company-per-page, every listing page of board A (and the detail
pages it lists) is one company's board: page p's postings all belong to a
company of their own, as when each host serves one employer's careers
site (bench/fleet_nodes.py --board per-host); the other fields stay as
without it. Without it, every page mixes the same 16 companies.

usage: make_board.py --n 5000 --out DIR [--seed 1] [--company-per-page]
"""
import argparse
import html
import json
import os
import random

CITIES = [("Berlin", "Berlin", "DE", "EUR"), ("München", "Bayern", "DE", "EUR"),
          ("Zürich", "ZH", "CH", "CHF"), ("London", "England", "GB", "GBP"),
          ("Kraków", "Małopolskie", "PL", "PLN"), ("São Paulo", "SP", "BR", "BRL"),
          ("Toronto", "ON", "CA", "CAD"), ("Austin", "TX", "US", "USD"),
          ("Bengaluru", "Karnataka", "IN", "INR"), ("Paris", "Île-de-France", "FR", "EUR"),
          ("Stockholm", "Stockholm", "SE", "SEK"), ("Madrid", "Madrid", "ES", "EUR")]
ROLES = ["Backend Engineer", "Frontend Developer", "Data Engineer", "Site Reliability Engineer",
         "Product Designer", "Machine Learning Engineer", "Security Engineer", "QA Engineer",
         "Engineering Manager", "Technical Writer", "Data Analyst", "Mobile Developer"]
LEVELS = ["Junior", "", "Senior", "Staff", "Lead"]
COMPANIES = ["Northwind Robotics", "Contoso Payments", "Fabrikam Health", "Tailspin Cloud",
             "Adatum Studio", "Woodgrove AI", "Litware Labs", "Proseware", "Trey Research",
             "Wide World Importers", "Blue Yonder Airlines", "Fourth Coffee GmbH",
             "Lucerne Publishing", "Margie's Travel", "Alpine Ski House", "Coho Winery"]
# Names for --company-per-page: prefix x suffix gives 24 x 12 distinct companies.
COMPANY_PREFIXES = ["Northwind", "Contoso", "Fabrikam", "Tailspin", "Adatum", "Woodgrove", "Litware",
                    "Proseware", "Trey", "Wingtip", "Lucerne", "Alpine", "Coho", "Humongous", "Graphic",
                    "Blue Yonder", "Fourth Coffee", "Margie's", "Relecloud", "VanArsdel", "Wide World",
                    "Southridge", "Datum", "Bellows"]
COMPANY_SUFFIXES = ["Robotics", "Payments", "Health", "Cloud", "Studio", "AI", "Labs", "Software",
                    "Research", "Logistics", "Energy", "Insurance"]
SKILLS = ["C++", "Go", "Rust", "Python", "TypeScript", "Kotlin", "PostgreSQL", "Kafka",
          "Kubernetes", "Terraform", "AWS", "GCP", "React", "gRPC", "Spark", "Airflow"]
TYPES = ["FULL_TIME", "FULL_TIME", "FULL_TIME", "PART_TIME", "CONTRACTOR", "INTERN"]
WORDS = ("we build reliable systems for customers around the world and care about quality "
         "teamwork mentoring ownership observability performance accessibility security "
         "delivery product users research design data learning growth — naïve café déjà vu "
         "straße façade").split()

STYLE = "\n".join(
    f".c{i} {{ margin: {i % 7}px {i % 5}px; padding: {i % 3}em; color: #{i * 2654435761 % 0xffffff:06x}; }}"
    for i in range(120))
SCRIPT = "\n".join(
    f"window.__tracker_{i} = function(e) {{ return (e && e.target) ? e.target.id + '{i}' : null; }};"
    for i in range(60))
NAV = "".join(f'<li class="nav-item"><a href="/about/{i}">Section {i}</a></li>' for i in range(40))


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def make_job(rng, job_id):
    city, region, country, currency = rng.choice(CITIES)
    level = rng.choice(LEVELS)
    role = rng.choice(ROLES)
    title = f"{level} {role}".strip()
    low = rng.randrange(40, 160) * 1000
    return {
        "id": job_id, "title": title, "company": rng.choice(COMPANIES), "city": city,
        "region": region, "country": country, "currency": currency, "min": low,
        "max": low + rng.randrange(10, 60) * 1000, "type": rng.choice(TYPES),
        "posted": f"2026-{rng.randrange(1, 12):02d}-{rng.randrange(1, 28):02d}",
        "skills": rng.sample(SKILLS, 4),
        "paragraphs": [sentence(rng, rng.randrange(30, 70)) for _ in range(rng.randrange(6, 14))],
        "bullets": [sentence(rng, rng.randrange(6, 14)) for _ in range(rng.randrange(6, 14))],
    }


def description_html(job):
    parts = [f"<p>{html.escape(p)}</p>" for p in job["paragraphs"][:3]]
    parts.append("<h3>What you will do</h3><ul>" +
                 "".join(f"<li>{html.escape(b)}</li>" for b in job["bullets"]) + "</ul>")
    parts.append("<h3>What you bring</h3><ul>" +
                 "".join(f"<li>{html.escape(s)}</li>" for s in job["skills"]) + "</ul>")
    parts += [f"<p>{html.escape(p)}</p>" for p in job["paragraphs"][3:]]
    return "".join(parts)


def json_ld(job, url):
    return {
        "@context": "https://schema.org", "@type": "JobPosting", "title": job["title"],
        "url": url, "identifier": {"@type": "PropertyValue", "name": job["company"], "value": job["id"]},
        "hiringOrganization": {"@type": "Organization", "name": job["company"]},
        "jobLocation": {"@type": "Place", "address": {
            "@type": "PostalAddress", "addressLocality": job["city"], "addressRegion": job["region"],
            "addressCountry": job["country"]}},
        "employmentType": job["type"], "datePosted": job["posted"],
        "baseSalary": {"@type": "MonetaryAmount", "currency": job["currency"], "value": {
            "@type": "QuantitativeValue", "minValue": job["min"], "maxValue": job["max"],
            "unitText": "YEAR"}},
        "description": description_html(job),
    }


def detail_page(job, url, template, rng):
    ld = json.dumps(json_ld(job, url), ensure_ascii=False)
    desc = description_html(job)
    filler = "".join(f'<div class="c{i % 120}"><span>{html.escape(sentence(rng, 12))}</span></div>'
                     for i in range(rng.randrange(40, 300)))
    fields = (f'<h1 class="job-title">{html.escape(job["title"])}</h1>'
              f'<p class="company">{html.escape(job["company"])}</p>'
              f'<p class="location">{html.escape(job["city"])}, {html.escape(job["region"])}, {job["country"]}</p>'
              f'<p class="salary">{job["currency"]} {job["min"]:,} – {job["max"]:,} a year</p>')
    head = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<title>{html.escape(job["title"])} at {html.escape(job["company"])}</title>'
            f'<style>{STYLE}</style><script>{SCRIPT}</script>')
    if template == 0:
        body = (f'<header><nav><ul>{NAV}</ul></nav></header><main>{fields}'
                f'<section class="description">{desc}</section></main><aside>{filler}</aside>')
        return f'{head}<script type="application/ld+json">{ld}</script></head><body>{body}</body></html>'
    if template == 1:
        body = (f'<div id="app"><div class="top">{NAV}</div><article>{fields}'
                f'<div class="job-body">{desc}</div>{filler}</article></div>')
        return f'{head}</head><body>{body}<script type="application/ld+json">{ld}</script></body></html>'
    body = (f'<table class="layout"><tr><td>{NAV}</td><td>{fields}<div>{desc}</div></td></tr></table>'
            f'<footer>{filler}</footer>')
    return f'{head}<script data-rh="true" type="application/ld+json">\n{ld}\n</script></head><body>{body}</body></html>'


def listing_page(board, jobs, page, pages):
    rows = "".join(f'<li class="job"><a href="/{board}/jobs/{j["id"]}.html">{html.escape(j["title"])}</a>'
                   f' · {html.escape(j["company"])} · {html.escape(j["city"])}</li>' for j in jobs)
    nav = ""
    if page > 1:
        prev = "index.html" if page == 2 else f"page-{page - 1}.html"
        nav += f'<a rel="prev" href="/{board}/{prev}">Previous</a> '
    if page < pages:
        nav += f'<a rel="next" href="/{board}/page-{page + 1}.html">Next</a>'
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Board {board} page {page}</title>'
            f'<style>{STYLE}</style></head><body><header><ul>{NAV}</ul></header>'
            f'<main><ul class="jobs">{rows}</ul><nav class="pager">{nav}</nav></main></body></html>')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5000, help="detail pages in all")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--company-per-page", action="store_true",
                    help="each listing page of board A lists one company's postings")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    site = os.path.join(args.out, "site")
    n_a = args.n // 2
    n_b = args.n - n_a
    boards = {"a": [], "b": []}
    for i in range(n_a):
        boards["a"].append(make_job(rng, f"A{i:06d}"))
    if args.company_per_page:
        # After the jobs are drawn, so every other field is as without it.
        for i, job in enumerate(boards["a"]):
            page = i // 50
            job["company"] = (f"{COMPANY_PREFIXES[page % len(COMPANY_PREFIXES)]} "
                              f"{COMPANY_SUFFIXES[page // len(COMPANY_PREFIXES) % len(COMPANY_SUFFIXES)]}")
    cross = []
    for i in range(n_b):
        if i % 5 == 0 and i // 5 < n_a:
            # A cross-post: board B re-posts one of A's jobs, lightly edited.
            original = boards["a"][(i * 7) % n_a]
            job = dict(original)
            job["id"] = f"B{i:06d}"
            job["paragraphs"] = original["paragraphs"] + ["Posted via our partner network."]
            cross.append({"b": job["id"], "a": original["id"]})
        else:
            job = make_job(rng, f"B{i:06d}")
        boards["b"].append(job)
    truth = {"pages": [], "cross_posts": cross}
    for board, jobs in boards.items():
        os.makedirs(os.path.join(site, board, "jobs"), exist_ok=True)
        pages = (len(jobs) + 49) // 50
        for p in range(1, pages + 1):
            name = "index.html" if p == 1 else f"page-{p}.html"
            with open(os.path.join(site, board, name), "w", encoding="utf-8") as f:
                f.write(listing_page(board, jobs[(p - 1) * 50:p * 50], p, pages))
        for k, job in enumerate(jobs):
            url_path = f"/{board}/jobs/{job['id']}.html"
            with open(os.path.join(site, board, "jobs", f"{job['id']}.html"), "w", encoding="utf-8") as f:
                f.write(detail_page(job, url_path, k % 3, rng))
            truth["pages"].append({"path": url_path, "id": job["id"], "title": job["title"],
                                   "company": job["company"]})
    truth["detail_pages"] = len(truth["pages"])
    truth["listing_pages"] = sum((len(j) + 49) // 50 for j in boards.values())
    truth["distinct_jobs"] = len(truth["pages"]) - len(cross)
    with open(os.path.join(args.out, "truth.json"), "w") as f:
        json.dump(truth, f)
    with open(os.path.join(args.out, "paths.txt"), "w") as f:
        for page in truth["pages"]:
            f.write(page["path"] + "\n")


if __name__ == "__main__":
    main()
