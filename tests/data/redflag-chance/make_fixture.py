#!/usr/bin/env python3
"""Writes the red-flag chance-model test case (tx.csv, entities.csv,
relations.csv): a year of ordinary activity of a few hundred accounts (salaries,
shopping, shops banking their takings, traders paying foreign suppliers, foreign
companies paying each other, a crypto exchange paying its customers, the legal
animal trade) and, for every red flag, one planted structure beside the benign
look-alike that its chance or routine model must rank out. Deterministic: run
from this directory; the outputs are committed. The planted accounts are named
in the comments below and in test_detect_redflag.c."""
import csv
import math
import random

rng = random.Random(20240613)
ent = [("id", "kind", "name", "country", "sector", "address", "phone", "registration", "pep")]
rel = [("source", "target", "relation")]
tx = []
DAY = 86400
START = 1704067200  # 2024-01-01T00:00:00Z


def iso(t):
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def T(t, s, d, amt, ch="ach", ref=""):
    tx.append((t, s, d, "%.2f" % amt, ch, ref))


def E(i, kind, name, country, sector="", addr="", phone="", reg="", pep=""):
    ent.append((i, kind, name, country, sector, addr, phone, reg, pep))


def H(holder, acct):
    rel.append((holder, acct, "holds_account"))


def at(day, hour=10.0):
    return START + int(day * DAY + hour * 3600) + rng.randrange(600)


def lognorm(median, sigma):
    return median * math.exp(rng.gauss(0, sigma))


# ---- the population ------------------------------------------------------
persons = []
for i in range(1, 301):
    p = "P%03d" % i
    E("H" + p, "person", "Person %d" % i, "DE", addr="%d Long Street" % i, phone="+49 30 %06d" % i)
    H("H" + p, p)
    persons.append(p)
shops = []
for i in range(1, 13):
    a = "SHOP%02d" % i
    E("H" + a, "company", "Shop %d GmbH" % i, "DE", "retail", addr="%d Market Square" % i)
    H("H" + a, a)
    shops.append(a)
traders = []
for i in range(1, 9):
    a = "TRD%02d" % i
    E("H" + a, "company", "Trader %d GmbH" % i, "DE", "wholesale", addr="%d Harbour Road" % i)
    H("H" + a, a)
    traders.append(a)
employers = []
for i in range(1, 9):
    a = "EMP%02d" % i
    E("H" + a, "company", "Employer %d AG" % i, "DE", "manufacturing", addr="%d Factory Lane" % i)
    H("H" + a, a)
    employers.append(a)
E("HGOV", "company", "Federal Ministry", "DE", "public")
H("HGOV", "GOV")
E("HCRYPTO", "company", "Coin Exchange GmbH", "DE", "crypto")
H("HCRYPTO", "CRYPTO")
foreign = []
countries = ["KE", "TZ", "ZA", "NG", "MY", "SG", "HK", "AE", "CN", "VN", "FR", "NL", "US", "GB"]
for i in range(1, 71):
    a = "FX%02d" % i
    cty = countries[i % len(countries)]
    E("H" + a, "company", "Foreign %d Ltd" % i, cty, "import_export" if i % 3 == 0 else "manufacturing")
    H("H" + a, a)
    foreign.append((a, cty))
E("HCASH", "cash", "Cash", "")
rel.append(("HCASH", "CASH", "holds_account"))

# salaries: monthly on the 25th, steady amounts (the routine income of everyone)
for k, p in enumerate(persons[:200]):
    emp = employers[k % len(employers)]
    rel.append(("H" + emp, "H" + p, "employs"))
    base = 1800 + (k * 37) % 2500
    for m in range(12):
        T(at(m * 30.4 + 24, 6), emp, p, base + rng.randrange(40))
# shopping and transfers among people
for p in persons:
    for _ in range(12):
        T(at(rng.uniform(0, 365), rng.uniform(9, 20)), p, rng.choice(shops), lognorm(30, 0.9), "card")
    for _ in range(3):
        q = rng.choice(persons)
        if q != p:
            T(at(rng.uniform(0, 365)), p, q, lognorm(60, 1.0))
# shops bank their takings most days (some near the 10,000.00 line, on both sides)
for s in shops:
    for d in range(365):
        if rng.random() < 0.6:
            T(at(d, rng.uniform(9, 18)), "CASH", s, min(lognorm(1800, 1.0), 40000), "cash_deposit")
# a large cash business whose takings sit around the threshold, both sides of it
E("HBIG", "company", "Big Market GmbH", "DE", "retail", addr="1 Fair Ground")
H("HBIG", "BIG1")
for d in range(0, 365, 2):
    T(at(d, 17), "CASH", "BIG1", lognorm(9500, 0.25), "cash_deposit")
# traders pay foreign suppliers weekly and are paid by domestic customers
for t in traders:
    for w in range(52):
        sup, cty = rng.choice(foreign)
        T(at(w * 7 + rng.uniform(0, 5)), t, sup, lognorm(18000, 1.0), "wire", "INV-%05d" % rng.randrange(99999))
        T(at(w * 7 + rng.uniform(0, 5)), rng.choice(employers + traders), t, lognorm(15000, 1.0), "ach")
# foreign companies pay each other (any country to any country)
for _ in range(2500):
    (a, _c), (b, _d) = rng.choice(foreign), rng.choice(foreign)
    if a != b:
        T(at(rng.uniform(0, 365)), a, b, lognorm(400, 1.3), "wire", "INV-%05d" % rng.randrange(99999))
# employers pay suppliers
for e in employers:
    for _ in range(60):
        T(at(rng.uniform(0, 365)), e, rng.choice(employers + traders), lognorm(2400, 1.3))
# the crypto exchange pays its customers for coins they sell
for _ in range(500):
    T(at(rng.uniform(0, 365)), "CRYPTO", rng.choice(persons), lognorm(500, 1.2), "ach", "BTC sale")
    T(at(rng.uniform(0, 365)), rng.choice(persons), "CRYPTO", lognorm(500, 1.2), "ach", "BTC purchase")

# ---- structuring: SA1 and SA2 share an address and bank 7 deposits just under
# 10,000.00 within 12 days, then wire most of it abroad. Look-alike: BIG1 (above)
# and the shops, whose near-threshold deposits fall on both sides of the line.
E("HSA1", "person", "Sam Alpha", "DE", addr="7 Quiet Lane", phone="+49 30 700001")
E("HSA2", "person", "Sue Alpha", "DE", addr="7 quiet lane", phone="+49 30 700002")
H("HSA1", "SA1")
H("HSA2", "SA2")
for i, amt in enumerate([9400, 9650, 9800, 9550, 9900, 9300, 9700]):
    T(at(100 + i * 2, 11), "CASH", "SA1" if i % 2 == 0 else "SA2", amt, "cash_deposit")
T(at(115), "SA1", "FX07", 36000, "wire", "transfer")
T(at(115), "SA2", "FX07", 27000, "wire", "transfer")
for p in ("SA1", "SA2"):
    for _ in range(10):
        T(at(rng.uniform(0, 365)), p, rng.choice(shops), lognorm(30, 0.9), "card")

# ---- cash to wire: CW1, a person with no cash history, banks cash three times and
# wires 95% of it to Hong Kong the next day. Look-alike: SHOP01 banks takings most
# days and pays its Chinese supplier about weekly in the same range.
E("HCW1", "person", "Carl Wire", "DE", addr="9 Side Road")
H("HCW1", "CW1")
E("HCWX", "company", "Kowloon Trading Ltd", "HK")
H("HCWX", "CWX")
for r, day in enumerate((150, 200, 260)):
    cash = 0
    for i, amt in enumerate([6200, 7900, 5400]):
        T(at(day + i * 0.3, 10 + i), "CASH", "CW1", amt + 10 * r, "cash_deposit")
        cash += amt + 10 * r
    T(at(day + 1.5), "CW1", "CWX", cash * 0.95, "wire", "goods")
for _ in range(12):
    T(at(rng.uniform(0, 365)), "CW1", rng.choice(shops), lognorm(30, 0.9), "card")
E("HCNSUP", "company", "Shenzhen Supplies Co", "CN")
H("HCNSUP", "CNSUP")
for w in range(50):
    T(at(w * 7 + 3, 14), "SHOP01", "CNSUP", lognorm(2500, 0.5), "wire", "INV-%05d" % (7000 + w))

# ---- PEP payments: K1 (a minister, employed by the ministry) is paid 4
# "consulting fees" by a freight company. Look-alikes: K2 sells coins to the
# exchange now and then (as hundreds of citizens do); K3 only has a salary.
for k, name in ((1, "Minister One"), (2, "Senator Two"), (3, "Mayor Three")):
    E("HK%d" % k, "person", name, "DE", addr="%d Capitol Hill" % k, pep="yes")
    H("HK%d" % k, "K%d" % k)
    rel.append(("HGOV", "HK%d" % k, "employs"))
    for m in range(12):
        T(at(m * 30.4 + 24, 6), "GOV", "K%d" % k, 6200 + k * 100)
E("HFRT", "company", "Rapid Freight GmbH", "DE", "freight_forwarding")
H("HFRT", "FRT1")
for i, amt in enumerate([12000, 8500, 20000, 15000]):
    T(at(60 + i * 20), "FRT1", "K1", amt, "ach", "consulting fee")
for i in range(3):
    T(at(90 + i * 80), "CRYPTO", "K2", 80 + i * 15, "ach", "BTC sale")

# ---- corridor: SC1 (Kenya) pays TC1 (Malaysia) three times; each time TC1 passes
# 97% on to DC1 (China) within two days. Look-alike: HT1, a Hong Kong trader paid
# by African companies, pays Chinese and Vietnamese accounts three times a day, any amount.
E("HSC1", "company", "Nairobi Curios Ltd", "KE")
E("HTC1", "company", "Penang Logistics Sdn", "MY")
E("HDC1", "company", "Guangzhou Arts Co", "CN")
for a in ("SC1", "TC1", "DC1"):
    H("H" + a, a)
for r, (day, amt) in enumerate(((40, 52000), (95, 38000), (160, 61000))):
    T(at(day), "SC1", "TC1", amt, "wire", "goods")
    T(at(day + 1.5), "TC1", "DC1", amt * 0.97, "wire")
for _ in range(8):
    T(at(rng.uniform(0, 365)), "TC1", rng.choice(foreign)[0], lognorm(3000, 1.0), "wire")
E("HHT1", "company", "Harbour Trade Ltd", "HK")
H("HHT1", "HT1")
asian = [a for a, c in foreign if c in ("CN", "VN")]
african = [a for a, c in foreign if c in ("KE", "TZ", "ZA")]
for i in range(1, 41):
    a = "AFR%02d" % i
    E("H" + a, "company", "African Exporter %d Ltd" % i, ("KE", "TZ", "ZA", "MZ")[i % 4], "agriculture")
    H("H" + a, a)
    african.append(a)
for d in range(365):
    for h in (9, 12, 15):
        T(at(d, h), "HT1", rng.choice(asian), lognorm(20000, 1.0), "wire")
for k in range(150):
    T(at(rng.uniform(0, 360)), african[k % len(african)], "HT1", lognorm(20000, 1.0), "wire", "goods")

# ---- wildlife trade: FWD1, a Kenyan freight forwarder, is paid round sums for
# "ivory carvings" and "scales". Look-alike: PET1 pays the breeder BRD1 round sums
# for puppies and feed, as the legal animal trade does.
E("HFWD1", "company", "Mombasa Cargo Ltd", "KE", "freight_forwarding")
H("HFWD1", "FWD1")
E("HVNB", "company", "Hanoi Gifts Co", "VN")
H("HVNB", "VNB")
for i, (amt, ref) in enumerate(((15000, "ivory carvings"), (8000, "Invoice 17 - SCALES"), (12000, "horn samples"))):
    T(at(220 + i * 9), "VNB", "FWD1", amt, "wire", ref)
for _ in range(30):
    T(at(rng.uniform(0, 365)), rng.choice(foreign)[0], "FWD1", lognorm(1200, 0.8), "wire", "freight")
E("HPET1", "company", "Happy Paws GmbH", "DE", "pet_shop")
E("HBRD1", "company", "Golden Kennels GmbH", "DE", "breeder")
H("HPET1", "PET1")
H("HBRD1", "BRD1")
for i in range(40):
    amt = 100 * rng.randrange(5, 40) if rng.random() < 0.5 else lognorm(1500, 0.8)
    T(at(rng.uniform(0, 365)), "PET1", "BRD1", amt, "ach", rng.choice(["puppies litter", "animal feed", "bird cages"]))

# ---- shell network: SHA..SHD share a nominee director and an address and invoice
# each other in a ring, then pay abroad. Look-alike: OWA and OWB belong to one
# owner and trade twice a year, as related businesses do (as do some of the ten
# other owners' pairs of companies).
E("HNOM", "person", "Nominee Director", "DE")
for k, a in enumerate(("SHA", "SHB", "SHC", "SHD")):
    E("H" + a, "company", "Shell %s Ltd" % a, "DE", "consulting", addr="12 Formation Road", reg="QF-%d" % k)
    H("H" + a, a)
    rel.append(("HNOM", "H" + a, "director_of"))
ring = ("SHA", "SHB", "SHC", "SHD")
for i in range(8):
    T(at(250 + i * 6), ring[i % 4], ring[(i + 1) % 4], 40000 + 1000 * i, "wire", "consulting services")
T(at(300), "SHD", "FX09", 150000, "wire", "consulting services")
E("HOWN", "person", "Olga Owner", "DE")
for a in ("OWA", "OWB"):
    E("H" + a, "company", "Owner %s GmbH" % a, "DE", "manufacturing")
    H("H" + a, a)
    rel.append(("HOWN", "H" + a, "owns"))
    for _ in range(40):
        T(at(rng.uniform(0, 365)), a, rng.choice(employers + traders), lognorm(2400, 1.3))
        T(at(rng.uniform(0, 365)), rng.choice(employers + traders), a, lognorm(2400, 1.3))
T(at(80), "OWA", "OWB", 4200, "ach", "parts")
T(at(270), "OWB", "OWA", 3900, "ach", "parts")
for k in range(10):
    E("HOWN%d" % k, "person", "Owner %d" % k, "DE")
    pair = ("OW%dA" % k, "OW%dB" % k)
    for a in pair:
        E("H" + a, "company", "Owner %s GmbH" % a, "DE", "manufacturing")
        H("H" + a, a)
        rel.append(("HOWN%d" % k, "H" + a, "owns"))
        for _ in range(40):
            T(at(rng.uniform(0, 365)), a, rng.choice(employers + traders), lognorm(2400, 1.3))
            T(at(rng.uniform(0, 365)), rng.choice(employers + traders), a, lognorm(2400, 1.3))
    if k % 2 == 0:
        T(at(rng.uniform(0, 365)), pair[0], pair[1], lognorm(3000, 0.5), "ach", "parts")

tx.sort(key=lambda r: r[0])
rows = [("tx_id", "timestamp", "source", "target", "amount", "currency", "channel", "reference")]
for i, (t, s, d, amt, ch, ref) in enumerate(tx):
    rows.append(("T%05d" % (i + 1), iso(t), s, d, amt, "EUR", ch, ref))
for name, out in (("entities.csv", ent), ("relations.csv", rel), ("tx.csv", rows)):
    with open(name, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(out)
