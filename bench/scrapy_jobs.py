"""The peer: a Scrapy spider doing the benchmark's crawl the way a Scrapy
user would write it. Listing pages are followed by rel=next, detail pages
by their links; JSON-LD JobPosting is read with json.loads and stored in
SQLite. Run by bench/run.py with Debian's python3-scrapy:

  python3 -m scrapy runspider bench/scrapy_jobs.py -a base=URL -a db=FILE
"""
import json
import sqlite3

import scrapy


class SqlitePipeline:
    def open_spider(self, spider):
        self.db = sqlite3.connect(spider.db)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS postings (url TEXT PRIMARY KEY, external_id TEXT, "
            "title TEXT, company TEXT, location TEXT, salary_min REAL, salary_max REAL, "
            "salary_currency TEXT, date_posted TEXT, description TEXT)")
        self.pending = 0

    def process_item(self, item, spider):
        self.db.execute(
            "INSERT OR REPLACE INTO postings VALUES (?,?,?,?,?,?,?,?,?,?)",
            (item["url"], item["external_id"], item["title"], item["company"], item["location"],
             item["salary_min"], item["salary_max"], item["salary_currency"],
             item["date_posted"], item["description"]))
        self.pending += 1
        if self.pending >= 500:
            self.db.commit()
            self.pending = 0
        return item

    def close_spider(self, spider):
        self.db.commit()
        self.db.close()


class JobsSpider(scrapy.Spider):
    name = "jobs"
    custom_settings = {
        "CONCURRENT_REQUESTS": 64,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 64,
        "DOWNLOAD_DELAY": 0,
        "ROBOTSTXT_OBEY": False,
        "HTTPCACHE_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "ITEM_PIPELINES": {__name__ + ".SqlitePipeline": 300},
    }

    def __init__(self, base, db, **kwargs):
        super().__init__(**kwargs)
        self.base = base.rstrip("/")
        self.db = db

    def start_requests(self):
        for board in ("a", "b"):
            yield scrapy.Request(f"{self.base}/{board}/index.html", callback=self.parse_listing)

    def parse_listing(self, response):
        for href in response.css("ul.jobs a::attr(href)").getall():
            yield response.follow(href, self.parse_detail)
        next_page = response.css('a[rel="next"]::attr(href)').get()
        if next_page:
            yield response.follow(next_page, self.parse_listing)

    def parse_detail(self, response):
        for raw in response.xpath('//script[@type="application/ld+json"]/text()').getall():
            data = json.loads(raw)
            if data.get("@type") != "JobPosting":
                continue
            address = data.get("jobLocation", {}).get("address", {})
            salary = data.get("baseSalary", {})
            value = salary.get("value", {})
            yield {
                "url": response.url,
                "external_id": (data.get("identifier") or {}).get("value"),
                "title": data.get("title"),
                "company": (data.get("hiringOrganization") or {}).get("name"),
                "location": ", ".join(filter(None, [address.get("addressLocality"),
                                                    address.get("addressRegion"),
                                                    address.get("addressCountry")])),
                "salary_min": value.get("minValue"),
                "salary_max": value.get("maxValue"),
                "salary_currency": salary.get("currency"),
                "date_posted": data.get("datePosted"),
                "description": data.get("description"),
            }
