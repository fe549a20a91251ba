"""The known sites of the IranSamaneh family, as data, and the profile any of them is crawled
with: its own profile when it has one (newsbot.sites.profiles), else the CMS defaults on its
hosts. A host that is in no catalog entry is crawled the same way under a name made from it.

The catalog lists the sites the evidence names: those `../shared/site-notes.md` saw on the CMS
in 2018 and those a public multi-site scraper of 2025 reads with one IranSamaneh configuration
(`../shared/evidence/live-themes.md`). Being listed says a site was on the CMS then, not that it
is now: Farda and Bartarinha had left it by 2024/25, and the family spider checks every home page
before crawling (newsbot.extract.cms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsbot.sites.profiles import (
    ASRIRAN,
    BARTARINHA,
    BASIJNEWS,
    ENTEKHAB,
    FARDANEWS,
    IRIBNEWS,
    KAYHAN,
    PROFILES,
    TABNAK,
    YJC,
    SiteProfile,
    profile_for_url,
)
from newsbot.sites.urls import url_host

# A host name a user may give: dot-separated labels of letters, digits and inner hyphens, the
# last one (the top-level domain) starting with a letter, so that an IP address is not one.
_HOST_NAME = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z](?:[a-z0-9-]*[a-z0-9])?")
# Site names are what records' `site` fields, data folders and state files are named by.
_NOT_IN_NAMES = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True)
class FamilySite:
    """A site of the family: `name` (records, data folder, crawl state), its hosts (the first
    is where a crawl starts) and its name in Persian, None where we are not sure of it."""

    name: str
    hosts: tuple[str, ...]
    persian_name: str | None

    @property
    def home_url(self) -> str:
        return f"https://{self.hosts[0]}/"


def _listed(domain: str, persian_name: str | None) -> FamilySite:
    """A site known by its domain alone: named by the first label of the domain, as the sites
    with profiles are, reached on the domain as the evidence writes it and with www. (the live
    sites' redirects between the two were not checked; one between a site's hosts is followed)."""
    return FamilySite(domain.split(".")[0], (domain, f"www.{domain}"), persian_name)


def _profiled(profile: SiteProfile, persian_name: str | None) -> FamilySite:
    home = urlsplit(profile.home_url).hostname or ""
    hosts = (home, *(host for host in profile.hosts if host != home))
    return FamilySite(profile.name, hosts, persian_name)


# Persian names: IRIB's, Farda's and Bartarinha's as their saved pages write them
# (../shared/real-pages/); the others are the names the sites are commonly known by, not
# checked against a page of theirs, and None where we are not sure of the name.
CATALOG: tuple[FamilySite, ...] = (
    # On the CMS in 2018 (site-notes.md), with profiles.
    _profiled(IRIBNEWS, "خبرگزاری صدا و سیما"),
    _profiled(KAYHAN, "کیهان"),
    _profiled(BARTARINHA, "برترین ها"),
    _profiled(FARDANEWS, "فردا"),
    _profiled(ASRIRAN, "عصر ایران"),
    _profiled(BASIJNEWS, None),
    _profiled(YJC, "باشگاه خبرنگاران جوان"),
    _profiled(TABNAK, "تابناک"),
    _profiled(ENTEKHAB, "انتخاب"),
    # On the CMS in 2018 (site-notes.md), without profiles.
    _listed("shafaf.ir", "شفاف"),
    _listed("titrnews.ir", None),
    _listed("sobhanehonline.com", "صبحانه آنلاین"),
    # Read as IranSamaneh sites by a public scraper in 2025 (live-themes.md), without profiles.
    _listed("aftabnews.ir", "آفتاب نیوز"),
    _listed("seratnews.com", "صراط نیوز"),
    _listed("iqna.ir", "ایکنا"),
    _listed("ana.press", "آنا"),
    _listed("snn.ir", "خبرگزاری دانشجو"),
    _listed("bultannews.com", "بولتن نیوز"),
    _listed("boursenews.ir", "بورس نیوز"),
    _listed("fararu.com", "فرارو"),
    _listed("parsine.com", "پارسینه"),
    _listed("mizanonline.ir", "میزان"),
    _listed("shahraranews.ir", None),
    _listed("rasanews.ir", "رسا"),
    _listed("didarnews.ir", None),
    _listed("javanonline.ir", "جوان آنلاین"),
    _listed("jamejamonline.ir", "جام جم آنلاین"),
    _listed("borna.news", "برنا"),
    _listed("defapress.ir", "دفاع پرس"),
    _listed("598.ir", None),
    _listed("8sobh.ir", "هشت صبح"),
    _listed("tabnakbato.ir", "تابناک باتو"),
    _listed("khabaredagh.ir", None),
    _listed("nesfejahan.net", "نصف جهان"),
    _listed("shohadayeiran.com", "شهدای ایران"),
)
SITES: dict[str, FamilySite] = {site.name: site for site in CATALOG}


def family_profile(site: str) -> SiteProfile:
    """The profile to crawl `site` with: a catalog name (`aftabnews`) or a host
    (`aftabnews.ir`, `www.aftabnews.ir`). A site with a profile of its own gets it; any other
    gets the CMS defaults on its hosts. Raises ValueError for anything else, saying why."""
    given = site.strip().lower().removesuffix(".")
    if given in SITES:
        return _profile_of(SITES[given])
    if "/" in given or ":" in given:
        raise ValueError(
            f"site={site!r}: give the site's name or host (site=www.aftabnews.ir); a mirror or "
            "a local copy is base_url=http://host:port, given beside it"
        )
    if not _HOST_NAME.fullmatch(given):
        raise ValueError(
            f"site={site!r} is neither a known site nor a host name; known sites: "
            f"{', '.join(sorted(SITES))}"
        )
    return family_profile_for_url(f"https://{given}/")


def family_profile_for_url(url: str) -> SiteProfile:
    """The profile a page of `url` is read with: its site's profile, else that of the catalog
    site on its host, else the CMS defaults on its host under a name made from the host."""
    profile = profile_for_url(url)
    if profile is not None:
        return profile
    host = url_host(url)
    if not host:
        raise ValueError(f"{url!r} names no host")
    bare = host.removeprefix("www.")
    for listed in CATALOG:
        if host in listed.hosts or bare in listed.hosts:
            return _profile_of(listed)
    # The name keeps every label of the host, so that two unlisted sites never share a name,
    # and with it their data folder and crawl state.
    name = _NOT_IN_NAMES.sub("", bare)
    hosts = tuple(dict.fromkeys((host, bare, f"www.{bare}")))
    return SiteProfile(name=name, home_url=f"https://{host}/", hosts=hosts)


def _profile_of(site: FamilySite) -> SiteProfile:
    return PROFILES.get(site.name) or SiteProfile(
        name=site.name, home_url=site.home_url, hosts=site.hosts
    )


def has_own_profile(profile: SiteProfile) -> bool:
    """Whether a profile is a site's own (in newsbot.sites.profiles) rather than the CMS
    defaults on a site's hosts."""
    return PROFILES.get(profile.name) is profile
