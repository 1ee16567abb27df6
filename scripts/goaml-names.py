#!/usr/bin/env python3
"""goaml-names.py: the element names of a goAML XSD as the C table in
src/lib/case/goaml_names.inc (sorted, C locale), so that the reader knows every
element the schema defines and refuses others with file, line and element path."""
import sys
import textwrap
import xml.etree.ElementTree as ET

XS = '{http://www.w3.org/2001/XMLSchema}'
root = ET.parse(sys.argv[1]).getroot()
names = sorted({e.get('name') for e in root.iter(XS + 'element') if e.get('name')})
print('/* goaml_names.inc: every element name of the goAML report schema 5.0.1 (UNODC),')
print(" * sorted (C locale), for the reader's unknown-element check. Regenerate from the")
print(' * XSD with: python3 scripts/goaml-names.py goAMLSchema-5.0.1.xsd > src/lib/case/goaml_names.inc */')
for line in textwrap.wrap(', '.join('"%s"' % n for n in names), 112):
    print('    ' + line)
