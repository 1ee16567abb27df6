#!/usr/bin/env python3
"""Writes the red-flag unit-test case (tx.csv, entities.csv, relations.csv):
one small planted structure per detector, each next to near-misses that must
not fire. Run from this directory; the outputs are committed."""
import csv

ent = [("id", "kind", "name", "country", "sector", "address", "phone", "registration", "pep")]
rel = [("source", "target", "relation")]
tx = [("tx_id", "timestamp", "source", "target", "amount", "currency", "channel", "reference")]


def T(ts, s, d, amt, ch="wire", ref=""):
    tx.append(("T%04d" % len(tx), ts, s, d, amt, "EUR", ch, ref))


def E(i, kind, name, country, sector="", addr="", phone="", reg="", pep=""):
    ent.append((i, kind, name, country, sector, addr, phone, reg, pep))


def H(holder, acct):
    rel.append((holder, acct, "holds_account"))


# a neutral counterparty at home
E("P_BG", "person", "Background Payer", "DE"); H("P_BG", "BG1"); H("P_BG", "BG2")

# --- structuring: A1 alone; A2 + A3 linked by one phone number written two ways ---
E("P_A1", "person", "Anna One", "DE", addr="1 Main St", phone="+49 111"); H("P_A1", "A1")
T("2024-01-02T10:00:00Z", "CASH", "A1", "9500.00", "cash_deposit")
T("2024-01-04T10:00:00Z", "CASH", "A1", "9700.00", "cash_deposit")
T("2024-01-06T10:00:00Z", "CASH", "A1", "9800.00", "cash_deposit")
E("P_A2", "person", "Bob Two", "DE", addr="2 Side St", phone="+49 222 333"); H("P_A2", "A2")
E("P_A3", "person", "Carl Three", "DE", addr="3 Other St", phone="+49 222-333"); H("P_A3", "A3")
T("2024-01-10T10:00:00Z", "CASH", "A2", "9600.00", "cash_deposit")
T("2024-01-12T10:00:00Z", "CASH", "A3", "9900.00", "cash_deposit")
# near-misses: one amount outside the 10% margin; two far apart in time; wires, not cash
E("P_A4", "person", "Dora Four", "DE", addr="4 St"); H("P_A4", "A4")
T("2024-01-03T10:00:00Z", "CASH", "A4", "9500.00", "cash_deposit")
T("2024-01-05T10:00:00Z", "CASH", "A4", "8000.00", "cash_deposit")
E("P_A5", "person", "Emil Five", "DE", addr="5 St"); H("P_A5", "A5")
T("2024-01-03T10:00:00Z", "CASH", "A5", "9500.00", "cash_deposit")
T("2024-03-01T10:00:00Z", "CASH", "A5", "9500.00", "cash_deposit")
E("P_A6", "person", "Fay Six", "DE", addr="6 St"); H("P_A6", "A6")
T("2024-01-03T10:00:00Z", "A6", "BG1", "9600.00", "wire")
T("2024-01-04T10:00:00Z", "A6", "BG1", "9600.00", "wire")

# --- corridor: KE -> MY -> CN in time order ---
E("C_S1", "company", "Kenya Source Ltd", "KE"); H("C_S1", "S1")
E("C_T1", "company", "Malaysia Transit Sdn", "MY"); H("C_T1", "TR1")
E("C_D1", "company", "China Dest Co", "CN"); H("C_D1", "D1")
T("2024-02-01T10:00:00Z", "S1", "TR1", "50000.00", "wire")
T("2024-02-03T10:00:00Z", "TR1", "D1", "48000.00", "wire")
# near-miss: the onward payment precedes the inflow
E("C_S2", "company", "Kenya Two Ltd", "KE"); H("C_S2", "S2")
E("C_T2", "company", "Malaysia Two Sdn", "MY"); H("C_T2", "TR2")
E("C_D2", "company", "China Two Co", "CN"); H("C_D2", "D2")
T("2024-02-05T10:00:00Z", "TR2", "D2", "30000.00", "wire")
T("2024-02-06T10:00:00Z", "S2", "TR2", "31000.00", "wire")
# near-miss: the origin is not a listed source country
E("C_S3", "company", "German Origin GmbH", "DE"); H("C_S3", "S3")
E("C_T3", "company", "Malaysia Three Sdn", "MY"); H("C_T3", "TR3")
E("C_D3", "company", "China Three Co", "CN"); H("C_D3", "D3")
T("2024-02-07T10:00:00Z", "S3", "TR3", "20000.00", "wire")
T("2024-02-08T10:00:00Z", "TR3", "D3", "19000.00", "wire")
# near-misses: the onward payment is far larger than the inflow (other money), or far smaller
E("C_S4", "company", "Tanzania Four Ltd", "TZ"); H("C_S4", "S4")
E("C_T4", "company", "Singapore Four Pte", "SG"); H("C_T4", "TR4")
E("C_D4", "company", "Viet Nam Four Co", "VN"); H("C_D4", "D4")
T("2024-02-10T10:00:00Z", "S4", "TR4", "300.00", "wire")
T("2024-02-11T10:00:00Z", "TR4", "D4", "25000.00", "wire")
T("2024-02-12T10:00:00Z", "S4", "TR4", "20000.00", "wire")
T("2024-02-13T10:00:00Z", "TR4", "D4", "1500.00", "wire")

# --- wildlife trade: a pet shop paid round amounts for "ivory" and "scales" ---
E("C_W1", "company", "Exotic Pets GmbH", "DE", "pet_shop"); H("C_W1", "W1")
E("P_W0", "person", "Buyer Zero", "DE"); H("P_W0", "W0")
T("2024-03-02T10:00:00Z", "W0", "W1", "5000.00", "wire", "payment for ivory carvings")
T("2024-03-03T10:00:00Z", "W0", "W1", "3000.00", "wire", "Invoice 17 - SCALES")
# near-misses: a listed sector with an odd amount and a plain reference; a covert word
# alone; a listed sector paying round amounts (ordinary trade: two indicators only)
E("C_W2", "company", "Pet Corner GmbH", "DE", "pet_shop"); H("C_W2", "W2")
T("2024-03-04T10:00:00Z", "W0", "W2", "123.45", "card", "dog food")
T("2024-03-04T11:00:00Z", "W0", "W2", "2000.00", "wire", "order 5512")
E("C_W3", "company", "Music Shop GmbH", "DE", "retail"); H("C_W3", "W3")
T("2024-03-05T10:00:00Z", "W0", "W3", "87.10", "card", "french horn strings")
T("2024-03-05T11:00:00Z", "W0", "W3", "45.20", "card", "wholescales discount")

# --- PEP: payments to a minister's account; the salary from the employer is not one ---
E("P_PEP", "person", "Minister X", "DE", pep="yes"); H("P_PEP", "K1")
E("P_NOPEP", "person", "Citizen Y", "DE", pep="no"); H("P_NOPEP", "K2")
E("C_GOV", "company", "Ministry", "DE"); H("C_GOV", "GOV1"); rel.append(("C_GOV", "P_PEP", "employs"))
T("2024-04-01T10:00:00Z", "BG2", "K1", "2500.00", "wire", "consulting")
T("2024-04-02T10:00:00Z", "BG2", "K2", "2500.00", "wire", "consulting")
E("P_PEP2", "person", "Senator Z", "DE", pep="yes"); H("P_PEP2", "K3")
rel.append(("C_GOV", "P_PEP2", "employs"))
T("2024-04-25T10:00:00Z", "GOV1", "K3", "6200.00", "wire", "salary")
T("2024-04-25T10:00:00Z", "GOV1", "K1", "6200.00", "wire", "salary")

# --- shell network: shared address (written differently) and a nominee director ---
E("C_SH1", "company", "Alpha Holdings Ltd", "GB", addr="12 Formation Rd, London", reg="QuickForm Agents"); H("C_SH1", "SH1")
E("C_SH2", "company", "Beta Trading Ltd", "GB", addr="12 formation rd  London"); H("C_SH2", "SH2")
E("P_DIR", "person", "Nominee Director", "GB")
rel.append(("P_DIR", "C_SH1", "director_of")); rel.append(("P_DIR", "C_SH2", "director_of"))
T("2024-05-01T10:00:00Z", "SH1", "SH2", "40000.00", "wire", "services")
T("2024-05-03T10:00:00Z", "SH2", "SH1", "39000.00", "wire", "loan")
# near-misses: tied companies with one payment; untied companies with several
E("C_SH3", "company", "Gamma Ltd", "GB", phone="+44 20 1234"); H("C_SH3", "SH3")
E("C_SH4", "company", "Delta Ltd", "GB", phone="+44 20 1234"); H("C_SH4", "SH4")
T("2024-05-05T10:00:00Z", "SH3", "SH4", "1000.00", "wire", "invoice")
E("C_SH5", "company", "Epsilon Ltd", "GB", addr="1 A St"); H("C_SH5", "SH5")
E("C_SH6", "company", "Zeta Ltd", "GB", addr="2 B St"); H("C_SH6", "SH6")
rel.append(("C_SH5", "P_BG", "employs"))
T("2024-05-06T10:00:00Z", "SH5", "SH6", "1100.00", "wire", "invoice")
T("2024-05-07T10:00:00Z", "SH5", "SH6", "1200.00", "wire", "invoice")

# near-miss: a disclosed corporate group (a holding owns both) sweeping cash
E("C_HOLD", "company", "Omega Holding AG", "CH")
E("C_SH7", "company", "Omega Retail GmbH", "DE", addr="7 G St"); H("C_SH7", "SH7")
E("C_SH8", "company", "Omega Logistik GmbH", "DE", addr="8 H St"); H("C_SH8", "SH8")
rel.append(("C_HOLD", "C_SH7", "owns")); rel.append(("C_HOLD", "C_SH8", "owns"))
T("2024-05-10T10:00:00Z", "SH7", "SH8", "50000.00", "wire", "cash pool")
T("2024-05-11T10:00:00Z", "SH8", "SH7", "20000.00", "wire", "cash pool")

# --- cash to wire: cash in, wired abroad six hours later ---
E("P_Z1", "person", "Zed One", "DE"); H("P_Z1", "Z1")
E("P_ZF", "person", "Foreign Friend", "AE"); H("P_ZF", "ZF")
T("2024-06-01T09:00:00Z", "CASH", "Z1", "12000.00", "cash_deposit")
T("2024-06-01T15:00:00Z", "Z1", "ZF", "11500.00", "wire", "transfer")
# near-misses: domestic wire; wire too late; a trader whose wires are paid from turnover
E("P_Z2", "person", "Zed Two", "DE"); H("P_Z2", "Z2")
T("2024-06-02T09:00:00Z", "CASH", "Z2", "12000.00", "cash_deposit")
T("2024-06-02T12:00:00Z", "Z2", "BG1", "11500.00", "wire", "transfer")
E("P_Z3", "person", "Zed Three", "DE"); H("P_Z3", "Z3")
T("2024-06-03T09:00:00Z", "CASH", "Z3", "12000.00", "cash_deposit")
T("2024-06-20T09:00:00Z", "Z3", "ZF", "11500.00", "wire", "transfer")
E("C_Z4", "company", "Busy Trader GmbH", "DE"); H("C_Z4", "Z4")
T("2024-06-05T08:00:00Z", "BG1", "Z4", "90000.00", "wire", "invoice 1")
T("2024-06-05T09:00:00Z", "CASH", "Z4", "12000.00", "cash_deposit")
T("2024-06-05T15:00:00Z", "Z4", "ZF", "15000.00", "wire", "supplier")

# --- statistics: BF1 amounts all led by 5-6 (fires); BF2 Benford quantiles (must not) ---
E("P_BF", "person", "Stat Person", "DE"); H("P_BF", "BF1"); H("P_BF", "BF2")
E("P_RD", "person", "Round Person", "DE"); H("P_RD", "RD1")
for i in range(150):
    T("2024-07-01T%02d:%02d:00Z" % (i // 60, i % 60), "BF1", "BG1", "%d.%02d" % (500 + (i * 37) % 200, (i * 13) % 100), "card")
for i in range(150):
    v = 10 ** (1 + 3 * (i + 0.5) / 150)
    T("2024-07-02T%02d:%02d:00Z" % (i // 60, i % 60), "BF2", "BG2", "%.2f" % v, "card")
for i in range(30):
    T("2024-07-03T%02d:%02d:00Z" % (i // 60, i % 60), "RD1", "BG2", "%d.00" % (1000 * (1 + i % 7)), "wire")

for name, rows in (("entities.csv", ent), ("relations.csv", rel), ("tx.csv", tx)):
    with open(name, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
