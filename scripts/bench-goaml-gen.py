#!/usr/bin/env python3
"""bench-goaml-gen.py: a large goAML report for scripts/bench-goaml, in the forms
real reports use: the two-party form with full my-client accounts (holder entity,
signatory person with phones and addresses) on one side and short accounts on the
other, some cash deposits by persons, some foreign-currency payments.
Usage: bench-goaml-gen.py MEGABYTES > report.xml   (deterministic: seed 1)"""
import random
import sys

target = int(float(sys.argv[1]) * 1e6)
rng = random.Random(1)
out = sys.stdout
head = """<?xml version="1.0" encoding="UTF-8"?>
<report>
  <rentity_id>9001</rentity_id>
  <rentity_branch>Benchmark branch</rentity_branch>
  <submission_code>E</submission_code>
  <report_code>STR</report_code>
  <entity_reference>BENCH-1</entity_reference>
  <submission_date>2024-06-30T12:00:00</submission_date>
  <currency_code_local>EUR</currency_code_local>
  <reporting_user_code>BENCH-USER</reporting_user_code>
  <location>
    <address_type>4</address_type>
    <address>1 Benchmark Street</address>
    <city>Hamburg</city>
    <country_code>DE</country_code>
  </location>
  <reason>Generated for measuring ingest speed.</reason>
"""
out.write(head)
written = len(head)
n_clients = 20000


def client_account(k):
    return """        <institution_name>Bench Bank</institution_name>
        <swift>BENCHDEFF</swift>
        <branch>Hamburg</branch>
        <account>DE%020d</account>
        <currency_code>EUR</currency_code>
        <account_name>Client %d GmbH</account_name>
        <client_number>C%d</client_number>
        <personal_account_type>B</personal_account_type>
        <t_entity>
          <name>Client %d GmbH</name>
          <commercial_name>Client %d</commercial_name>
          <incorporation_legal_form>B</incorporation_legal_form>
          <incorporation_number>HRB%d</incorporation_number>
          <business>trade</business>
          <phones>
            <phone>
              <tph_contact_type>3</tph_contact_type>
              <tph_communication_type>L</tph_communication_type>
              <tph_country_prefix>49</tph_country_prefix>
              <tph_number>40%07d</tph_number>
            </phone>
          </phones>
          <incorporation_country_code>DE</incorporation_country_code>
          <related_persons>
            <entity_related_person>
              <person>
                <first_name>First%d</first_name>
                <last_name>Last%d</last_name>
              </person>
              <role>CEO</role>
            </entity_related_person>
          </related_persons>
          <incorporation_date>2010-01-01T00:00:00</incorporation_date>
        </t_entity>
        <signatory>
          <is_primary>1</is_primary>
          <t_person>
            <first_name>First%d</first_name>
            <last_name>Last%d</last_name>
            <birthdate>1970-01-01T00:00:00</birthdate>
            <ssn>SSN%d</ssn>
            <nationality1>DE</nationality1>
            <residence>DE</residence>
            <phones>
              <phone>
                <tph_contact_type>1</tph_contact_type>
                <tph_communication_type>M</tph_communication_type>
                <tph_country_prefix>49</tph_country_prefix>
                <tph_number>170%07d</tph_number>
              </phone>
            </phones>
            <addresses>
              <address>
                <address_type>1</address_type>
                <address>Street %d</address>
                <city>Hamburg</city>
                <country_code>DE</country_code>
              </address>
            </addresses>
            <occupation>director</occupation>
          </t_person>
          <role>A</role>
        </signatory>
        <opened>2015-01-01T00:00:00</opened>
        <status_code>A</status_code>
""" % (k, k, k, k, k, k, k, k, k, k, k, k, k, k)


i = 0
t0 = 1704067200
parts = []
while written < target:
    i += 1
    k = rng.randrange(n_clients)
    other = rng.randrange(1000000)
    t = t0 + 37 * i
    date = "2024-%02d-%02dT%02d:%02d:%02d" % (1 + (t // 2592000) % 12, 1 + (t // 86400) % 28, (t // 3600) % 24, (t // 60) % 60, t % 60)
    amount = "%d.%02d" % (rng.randrange(100, 5000000), rng.randrange(100))
    kind = rng.random()
    if kind < 0.1:
        frm = """      <t_from>
        <from_funds_code>A</from_funds_code>
        <from_person>
          <first_name>Walkin%d</first_name>
          <last_name>Customer</last_name>
          <passport_number>P%d</passport_number>
        </from_person>
        <from_country>DE</from_country>
      </t_from>
""" % (other, other)
        to = """      <t_to_my_client>
        <to_funds_code>A</to_funds_code>
        <to_account>
%s        </to_account>
        <to_country>DE</to_country>
      </t_to_my_client>
""" % client_account(k)
    else:
        fx = ""
        if kind > 0.9:
            fx = """        <from_foreign_currency>
          <foreign_currency_code>USD</foreign_currency_code>
          <foreign_amount>%s</foreign_amount>
          <foreign_exchange_rate>0.92</foreign_exchange_rate>
        </from_foreign_currency>
""" % amount
        frm = """      <t_from_my_client>
        <from_funds_code>K</from_funds_code>
%s        <from_account>
%s        </from_account>
        <from_country>DE</from_country>
      </t_from_my_client>
""" % (fx, client_account(k))
        to = """      <t_to>
        <to_funds_code>K</to_funds_code>
        <to_account>
          <institution_name>Other Bank %d</institution_name>
          <swift>OTHRXX%02d</swift>
          <account>XX%012d</account>
        </to_account>
        <to_country>NL</to_country>
      </t_to>
""" % (other % 97, other % 97, other)
    tx = """  <transaction>
    <transactionnumber>BENCH-%d</transactionnumber>
    <transaction_location>Hamburg</transaction_location>
    <transaction_description>invoice %d</transaction_description>
    <date_transaction>%s</date_transaction>
    <transmode_code>B</transmode_code>
    <amount_local>%s</amount_local>
%s%s  </transaction>
""" % (i, i, date, amount, frm, to)
    parts.append(tx)
    written += len(tx)
    if len(parts) >= 2000:
        out.write("".join(parts))
        parts = []
out.write("".join(parts))
out.write("  <report_indicators>\n    <indicator>-</indicator>\n  </report_indicators>\n</report>\n")
