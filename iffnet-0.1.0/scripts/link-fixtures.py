#!/usr/bin/python3
"""Computes the expected link-analysis values for tests/data/link/*.csv with
NetworkX, and checks them against python-igraph where both implement the same
measure, so the committed values come from two independent implementations.

The network is built as iffnet builds its view: one directed edge per ordered
pair of accounts, weight = sum of amounts in minor units (cents), self-transfers
left out. Writes tests/data/link/expected.txt ("measure node value" lines).
Run: /usr/bin/python3 scripts/link-fixtures.py [SRCDIR]
"""
import csv
import os
import sys
from decimal import Decimal

import igraph as ig
import networkx as nx
from networkx.algorithms.community import modularity

SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
DATA = os.path.join(SRC, "tests", "data", "link")


def load(name):
    """Aggregated simple digraph with 'weight' (cents) and 'count' on edges."""
    g = nx.DiGraph()
    with open(os.path.join(DATA, name), newline="") as f:
        for row in csv.DictReader(f):
            s, d = row["source"], row["target"]
            cents = int(Decimal(row["amount"]) * 100)
            g.add_node(s)
            g.add_node(d)
            if s == d:
                continue
            if g.has_edge(s, d):
                g[s][d]["weight"] += cents
                g[s][d]["count"] += 1
            else:
                g.add_edge(s, d, weight=cents, count=1)
    return g


def to_igraph(g):
    names = sorted(g.nodes)
    idx = {n: i for i, n in enumerate(names)}
    h = ig.Graph(n=len(names), directed=True)
    edges = list(g.edges(data=True))
    h.add_edges([(idx[s], idx[d]) for s, d, _ in edges])
    h.es["weight"] = [float(a["weight"]) for _, _, a in edges]
    h.vs["name"] = names
    return h


def close(a, b, tol, what):
    for k in a:
        if abs(a[k] - b[k]) > tol * max(1.0, abs(a[k])):
            sys.exit(f"{what}: NetworkX and python-igraph disagree at {k}: {a[k]} vs {b[k]}")


def by_max(d):
    m = max(d.values())
    return {k: v / m for k, v in d.items()}


def main():
    out = []
    g = load("g1.csv")
    h = to_igraph(g)
    names = h.vs["name"]

    pr = nx.pagerank(g, alpha=0.85, weight="weight", tol=1e-13, max_iter=10000)
    close(pr, dict(zip(names, h.pagerank(weights="weight", damping=0.85))), 1e-6, "pagerank")
    bt = nx.betweenness_centrality(g, normalized=False)
    close(bt, dict(zip(names, h.betweenness(directed=True))), 1e-9, "betweenness")
    core = nx.core_number(g)  # in-degree + out-degree on digraphs, as igraph mode="all"
    close(core, dict(zip(names, h.coreness(mode="all"))), 0, "coreness")
    hub, auth = nx.hits(g, max_iter=10000, tol=1e-14)
    hub, auth = by_max(hub), by_max(auth)
    close(hub, dict(zip(names, h.hub_score(weights="weight"))), 1e-5, "hub")
    close(auth, dict(zip(names, h.authority_score(weights="weight"))), 1e-5, "authority")
    u = nx.Graph()
    u.add_nodes_from(g.nodes)
    for s, d, a in g.edges(data=True):
        w = a["weight"] + (u[s][d]["weight"] if u.has_edge(s, d) else 0)
        u.add_edge(s, d, weight=w)
    ev = by_max(nx.eigenvector_centrality_numpy(u, weight="weight"))
    close(ev, dict(zip(names, h.as_undirected(combine_edges="sum").eigenvector_centrality(weights="weight"))),
          1e-6, "eigenvector")
    for n in sorted(g.nodes):
        out.append(f"pagerank {n} {pr[n]:.12g}")
        out.append(f"betweenness {n} {bt[n]:.12g}")
        out.append(f"coreness {n} {core[n]}")
        out.append(f"hub {n} {hub[n]:.12g}")
        out.append(f"authority {n} {auth[n]:.12g}")
        out.append(f"eigenvector {n} {ev[n]:.12g}")
        out.append(f"degree {n} {g.in_degree(n) + g.out_degree(n)}")
        out.append(f"strength {n} {g.in_degree(n, weight='weight') + g.out_degree(n, weight='weight')}")

    # Max flow (capacity = amount in cents) and the hop lengths of the 3 shortest
    # simple paths, for every ordered pair that is connected.
    for s in sorted(g.nodes):
        for d in sorted(g.nodes):
            if s == d or not nx.has_path(g, s, d):
                continue
            f = nx.maximum_flow_value(g, s, d, capacity="weight")
            fi = h.maxflow_value(names.index(s), names.index(d), capacity="weight")
            if abs(f - fi) > 0.5:
                sys.exit(f"maxflow {s} {d}: {f} vs {fi}")
            out.append(f"maxflow {s}>{d} {f}")
            lens = []
            for p in nx.shortest_simple_paths(g, s, d):
                lens.append(len(p) - 1)
                if len(lens) == 3:
                    break
            out.append(f"kpaths {s}>{d} {' '.join(map(str, lens))}")

    # Modularity of the planted partition of g2 (undirected collapse, weights summed).
    g2 = load("g2.csv")
    u2 = nx.Graph()
    for s, d, a in g2.edges(data=True):
        w = a["weight"] + (u2[s][d]["weight"] if u2.has_edge(s, d) else 0)
        u2.add_edge(s, d, weight=w)
    planted = [set(n for n in u2.nodes if n[0] == c) for c in "PQR"]
    q = modularity(u2, planted, weight="weight")
    h2 = ig.Graph.from_networkx(u2)
    memb = [("PQR".index(v["_nx_name"][0])) for v in h2.vs]
    qi = h2.modularity(memb, weights="weight")
    if abs(q - qi) > 1e-9:
        sys.exit(f"modularity: {q} vs {qi}")
    out.append(f"modularity planted {q:.12g}")

    with open(os.path.join(DATA, "expected.txt"), "w") as f:
        f.write("# generated by scripts/link-fixtures.py (NetworkX %s, python-igraph %s); do not edit\n"
                % (nx.__version__, ig.__version__))
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
