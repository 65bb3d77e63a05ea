"""EDGAR access: the only package that touches the network.

Settings (:mod:`edgar.settings`), the polite client (:mod:`edgar.client`, :mod:`edgar.politeness`), discovery
(:mod:`edgar.discovery`), download and SGML split (:mod:`edgar.fetch`, :mod:`edgar.sgml`), the write-once raw
store (:mod:`edgar.raw_store`) and the local test server (:mod:`edgar.testserver`). See docs/edgar.md.
Submodules are imported explicitly; importing ``edgar`` alone loads nothing.
"""
