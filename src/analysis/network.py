"""The partnership network: who funds, supplies compute to and distributes whom.

A directed multigraph (networkx) of investors, AI labs and model platforms built from the
processed ``deals``, ``ownership`` and ``availability`` tables (:func:`build_graph`):

- ``stake`` edges investor -> investee for equity and convertible notes (weight: counted amount
  in US dollars; ``economic_share`` and ``control`` from ``ownership`` where known);
- ``compute`` edges provider -> buyer for compute commitments (the buyer commits to spend with
  the provider: money runs buyer -> provider, compute provider -> buyer);
- ``cloud_credits`` edges provider -> lab for cloud credits (value given to the lab: it runs the
  same way as the edge);
- ``other_deal`` edges for licensing, acqui-hires, acquisitions and partnerships;
- ``distribution`` edges developer -> platform (``platform:azure`` ...) with the first availability
  date and any exclusivity window, and ``runs`` edges platform owner -> platform.

Plus the European angle (funding of European and US labs, :func:`funding_by_region`), multi-homing
of labs across the hyperscalers' clouds (:func:`multihoming`) and the check of the seed article's
claims (:func:`check_claims`).

Money rules (one place, :func:`classify_network_deals`): several sources' versions of a fact are
reduced to one row with :func:`analysis.data.primary_rows` (the ``alternate_of`` column), and an
amount counts as money only when :func:`analysis.investment.classify_deals` marks the row
``counted``: ceilings (``up_to``), rumoured rows and undisclosed amounts are never summed, and
whatever else that function excludes (it also flags, for review, same-tranche rows that no
``alternate_of`` links: ``possible_duplicate_of``). Ceilings are reported beside the money (``ceiling_usd`` edge attribute,
``*_ceiling_usd`` columns), never added to it.

Pure functions over DataFrames (no I/O): pass tables from ``analysis.data.load(..., as_of=...)``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from analysis import investment
from analysis.data import primary_rows

__all__ = [
    "PLATFORM",
    "CLOUD_PLATFORMS",
    "RELATION",
    "platform_node",
    "firm_deals",
    "classify_network_deals",
    "build_graph",
    "layout",
    "centrality",
    "availability_spans",
    "multihoming",
    "dedupe_rounds",
    "unmarked_versions",
    "funding_by_region",
    "hyperscaler_ties",
    "deal_total",
    "Claim",
    "SEED_CLAIMS",
    "check_claims",
]

#: Prefix of platform nodes (``platform:azure``), so that they never clash with company ids.
PLATFORM = "platform:"

#: Platforms that are a hyperscaler's cloud (for multi-homing).
CLOUD_PLATFORMS: tuple[str, ...] = ("azure", "amazon_bedrock", "google_vertex_ai", "oracle_oci")

#: Relation of each ``deal_type`` in the graph.
RELATION: dict[str, str] = {
    "equity": "stake",
    "convertible_note": "stake",
    "compute_commitment": "compute",
    "cloud_credits": "cloud_credits",
    "licensing": "other_deal",
    "acqui_hire": "other_deal",
    "acquisition": "other_deal",
    "partnership": "other_deal",
}


def platform_node(platform: str) -> str:
    """Node id of a platform.

    Examples
    --------
    >>> platform_node("azure")
    'platform:azure'
    """
    return f"{PLATFORM}{platform}"


def firm_deals(deals: pd.DataFrame) -> pd.DataFrame:
    """Deals that count as facts: ``rumoured`` rows (talks) are dropped.

    Which amounts count as money is decided by :func:`classify_network_deals` (one row per fact
    by ``alternate_of``, ceilings and duplicates not counted), not here.

    Examples
    --------
    >>> d = pd.DataFrame({"status": ["rumoured", "announced"], "amount_usd": [1.0, 2.0]})
    >>> firm_deals(d)["amount_usd"].tolist()
    [2.0]
    """
    return deals.loc[deals["status"] != "rumoured"].reset_index(drop=True)


def classify_network_deals(deals: pd.DataFrame) -> pd.DataFrame:
    """One row per deal fact with the money rule of :func:`analysis.investment.classify_deals`.

    Steps: :func:`analysis.data.primary_rows` keeps one row per fact (an alternate version is
    dropped when the row it names is present, kept when not, e.g. before that row was
    published); then :func:`~analysis.investment.classify_deals` sets ``counted`` and
    ``reason`` for every relation of the graph (types: all of :data:`RELATION`). Its lab-only
    rule is meant for money *into labs* (notebook 01); the network shows ties between any two
    companies, so here every investee is eligible and the direction is the edge's.

    Returns
    -------
    DataFrame
        The primary rows (rumoured ones included, with reason ``status rumoured``) with
        ``counted`` (bool), ``reason`` and ``ceiling`` (an ``up_to`` amount: reported apart,
        never summed).

    Examples
    --------
    >>> d = pd.DataFrame({"deal_id": ["a", "b", "c"], "investor": ["n"] * 3,
    ...     "investee": ["o"] * 3, "deal_type": ["equity"] * 3,
    ...     "announced_date": pd.to_datetime(["2025-09-22", "2026-02-27", "2026-02-27"]),
    ...     "amount_usd": [1e11, 3e10, 3e10], "amount_qualifier": ["up_to", "exact", "exact"],
    ...     "status": ["announced"] * 3, "alternate_of": [None, None, "b"]})
    >>> classify_network_deals(d)[["deal_id", "counted", "ceiling"]].to_dict("records")
    [{'deal_id': 'a', 'counted': False, 'ceiling': True}, {'deal_id': 'b', 'counted': True, 'ceiling': False}]
    """
    frame = primary_rows(deals, "deals").copy()
    if "deal_id" not in frame:
        frame["deal_id"] = [f"row{i}" for i in range(len(frame))]
    if "amount_qualifier" not in frame:
        frame["amount_qualifier"] = None
    if "source_date" not in frame:
        frame["source_date"] = frame["announced_date"]
    ids = sorted(set(frame["investor"]) | set(frame["investee"]))
    everyone = pd.DataFrame({"company_id": ids, "kind": ["lab"] * len(ids)})
    out = investment.classify_deals(frame, everyone, types=tuple(RELATION))
    out = out.drop(columns=["investee_kind", "investor_kind"], errors="ignore")
    out["ceiling"] = (out["amount_qualifier"] == "up_to") & out["amount_usd"].notna()
    out["ceiling"] &= out["status"] != "rumoured"
    return out.reset_index(drop=True)


def _money(rows: pd.DataFrame) -> dict[str, object]:
    """Counted money, ceilings and floors of classified deal rows."""
    counted = rows.loc[rows["counted"]]
    ceilings = rows.loc[rows["ceiling"]]
    return {
        "amount_usd": float(counted["amount_usd"].sum()) if len(counted) else float("nan"),
        "ceiling_usd": float(ceilings["amount_usd"].sum()) if len(ceilings) else float("nan"),
        "floor": bool((counted["amount_qualifier"] == "at_least").any()),
        "undisclosed": int(rows["amount_usd"].isna().sum()),
    }


def _names(companies: pd.DataFrame) -> dict[str, str]:
    return dict(zip(companies["company_id"], companies["name"], strict=True))


def build_graph(
    deals: pd.DataFrame,
    ownership: pd.DataFrame,
    availability: pd.DataFrame,
    companies: pd.DataFrame,
    min_amount_usd: float = 0.0,
    keep_undisclosed: bool = True,
) -> nx.MultiDiGraph:
    """The investor-lab-platform graph.

    Parameters
    ----------
    deals, ownership, availability, companies : DataFrame
        Processed tables (as of one date). Deals go through :func:`classify_network_deals`
        (one row per fact; rumoured rows dropped); ``rumoured`` ownership rows are dropped.
    min_amount_usd : float
        Drop money edges (stake, compute, credits, other deals) whose **counted** total is below
        this, in US dollars at the announcement-date rate. Edges with nothing counted (only
        undisclosed amounts or ceilings) are handled by ``keep_undisclosed``.
    keep_undisclosed : bool
        Keep edges with no counted amount.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes carry ``kind`` (company kind or ``platform``), ``name`` and ``region``; edges are
        keyed by relation and carry ``amount_usd`` (sum of **counted** amounts, NaN if none:
        ceilings, undisclosed and alternate rows are not money), ``ceiling_usd`` (sum of
        ``up_to`` ceilings, NaN if none; never included in ``amount_usd``), ``floor`` (a counted
        row is an ``at_least`` figure: the sum is a minimum), ``undisclosed`` (rows without an
        amount), ``deals`` (rows), ``first`` and ``last`` dates, ``economic_share`` and
        ``control`` (stakes), ``available_from`` and ``exclusive_until`` (distribution).

    Examples
    --------
    >>> cos = pd.DataFrame({"company_id": ["m", "o"], "name": ["M", "O"],
    ...                     "kind": ["hyperscaler", "lab"], "region": ["us", "us"]})
    >>> d = pd.DataFrame({"investor": ["m"], "investee": ["o"], "deal_type": ["equity"],
    ...     "amount_usd": [1e9], "announced_date": pd.to_datetime(["2019-07-22"]),
    ...     "status": ["announced"]})
    >>> g = build_graph(d, pd.DataFrame(), pd.DataFrame(), cos)
    >>> sorted(g.edges(keys=True))
    [('m', 'o', 'stake')]
    """
    g = nx.MultiDiGraph()
    info = companies.set_index("company_id")
    used: set[str] = set()
    edges: list[tuple[str, str, str, dict]] = []

    if len(deals):
        firm = firm_deals(classify_network_deals(deals))
        firm = firm.assign(relation=firm["deal_type"].map(RELATION)).dropna(subset=["relation"])
        for (u, v, rel), grp in firm.groupby(["investor", "investee", "relation"], sort=True):
            money = _money(grp)
            amount = money["amount_usd"]
            if pd.isna(amount):
                if not keep_undisclosed:
                    continue
            elif amount < min_amount_usd:
                continue
            edges.append(
                (
                    u,
                    v,
                    rel,
                    {
                        **money,
                        "deals": int(len(grp)),
                        "first": grp["announced_date"].min(),
                        "last": grp["announced_date"].max(),
                    },
                )
            )
    if len(ownership) and "status" in ownership:
        ownership = ownership.loc[ownership["status"] != "rumoured"]
    if len(ownership):
        latest = ownership.sort_values("date_from").groupby(["investor", "investee"]).tail(1)
        shares = ownership.sort_values("date_from").groupby(["investor", "investee"])
        last_share = shares["economic_share"].apply(
            lambda s: s.dropna().iloc[-1] if s.notna().any() else np.nan
        )
        existing = {(u, v) for u, v, rel, _ in edges if rel == "stake"}
        for row in latest.sort_values(["investor", "investee"]).itertuples(index=False):
            attrs = {
                "economic_share": float(last_share.loc[(row.investor, row.investee)]),
                "control": row.control,
            }
            if (row.investor, row.investee) in existing:
                for u, v, rel, data in edges:
                    if (u, v, rel) == (row.investor, row.investee, "stake"):
                        data.update(attrs)
            elif min_amount_usd <= 0 or keep_undisclosed:
                edges.append(
                    (
                        row.investor,
                        row.investee,
                        "stake",
                        {
                            "amount_usd": float("nan"),
                            "ceiling_usd": float("nan"),
                            "floor": False,
                            "undisclosed": 0,
                            "deals": 0,
                            "first": row.date_from,
                            "last": row.date_from,
                            **attrs,
                        },
                    )
                )
    if len(availability):
        spans = availability_spans(availability)
        for row in spans.itertuples(index=False):
            p = platform_node(row.platform)
            edges.append(
                (
                    row.developer,
                    p,
                    "distribution",
                    {
                        "available_from": row.available_from,
                        "exclusive_until": row.exclusive_until,
                        "models": row.models,
                    },
                )
            )
            owner = row.platform_owner
            if row.platform != "own_api":
                edges.append((owner, p, "runs", {}))
    for u, v, _, _ in edges:
        used.update((u, v))
    for node in sorted(used):
        if node.startswith(PLATFORM):
            g.add_node(node, kind="platform", name=node[len(PLATFORM) :], region="")
        elif node in info.index:
            row = info.loc[node]
            g.add_node(node, kind=row["kind"], name=row["name"], region=row["region"])
        else:
            g.add_node(node, kind="other", name=node, region="")
    for u, v, rel, data in sorted(edges, key=lambda e: (e[0], e[1], e[2])):
        if not g.has_edge(u, v, rel):
            g.add_edge(u, v, key=rel, relation=rel, **data)
    return g


def layout(graph: nx.Graph, seed: int = 7) -> dict[str, np.ndarray]:
    """Deterministic positions: a spring layout of the undirected graph with a fixed ``seed``.

    Nodes are inserted in sorted order, so the same graph and seed give the same picture.

    Examples
    --------
    >>> g = nx.path_graph(["a", "b", "c"])
    >>> p1, p2 = layout(g, 1), layout(g, 1)
    >>> all((p1[n] == p2[n]).all() for n in g)
    True
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in graph.edges() if u != v))
    if simple.number_of_nodes() == 0:
        return {}
    k = 1.5 / np.sqrt(max(simple.number_of_nodes(), 1))
    return nx.spring_layout(simple, seed=seed, k=k, iterations=200)


def centrality(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Centrality of each node of the partnership graph.

    Returns
    -------
    DataFrame
        Index ``node``; columns ``name``, ``kind``, ``partners`` (distinct neighbours),
        ``degree_centrality`` and ``betweenness`` (on the undirected simple graph),
        ``invested_usd`` (counted stake money given), ``invested_ceiling_usd`` (stake ceilings,
        ``up_to``, not counted), ``compute_sold_usd`` (counted compute commitments as provider),
        ``compute_ceiling_usd``, ``credits_given_usd`` (counted cloud credits), ``platforms``
        (distribution edges, for developers), sorted by betweenness. Ceilings are never added to
        the money columns.
    """
    columns = [
        "name",
        "kind",
        "partners",
        "degree_centrality",
        "betweenness",
        "invested_usd",
        "invested_ceiling_usd",
        "compute_sold_usd",
        "compute_ceiling_usd",
        "credits_given_usd",
        "platforms",
    ]
    if graph.number_of_nodes() == 0:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="node"))
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    degree = nx.degree_centrality(simple)
    between = nx.betweenness_centrality(simple, normalized=True)
    rows = {}
    for node, data in sorted(graph.nodes(data=True)):
        out = list(graph.out_edges(node, keys=True, data=True))

        def total(rel: str, attr: str = "amount_usd", out: list = out) -> float:
            return float(np.nansum([d.get(attr, np.nan) for _, _, k, d in out if k == rel]))

        rows[node] = {
            "name": data.get("name", node),
            "kind": data.get("kind", ""),
            "partners": simple.degree(node),
            "degree_centrality": degree[node],
            "betweenness": between[node],
            "invested_usd": total("stake"),
            "invested_ceiling_usd": total("stake", "ceiling_usd"),
            "compute_sold_usd": total("compute"),
            "compute_ceiling_usd": total("compute", "ceiling_usd"),
            "credits_given_usd": total("cloud_credits"),
            "platforms": sum(1 for _, _, k, _ in out if k == "distribution"),
        }
    frame = pd.DataFrame.from_dict(rows, orient="index")[columns]
    frame.index.name = "node"
    return frame.sort_values(["betweenness", "partners"], ascending=False)


def availability_spans(availability: pd.DataFrame) -> pd.DataFrame:
    """First availability of each developer on each platform, and the longest exclusivity.

    Returns
    -------
    DataFrame
        Columns ``developer``, ``platform``, ``platform_owner``, ``available_from`` (earliest),
        ``exclusive_until`` (latest reported end of an exclusivity window, NaT if none),
        ``models`` (``;``-joined model families).

    Examples
    --------
    >>> a = pd.DataFrame({"developer": ["o", "o"], "platform": ["azure", "azure"],
    ...     "platform_owner": ["m", "m"], "model_family": ["GPT-4", "GPT-3.5"],
    ...     "available_from": pd.to_datetime(["2023-03-21", "2023-03-01"]),
    ...     "exclusive_until": pd.to_datetime([None, None])})
    >>> availability_spans(a)["available_from"].dt.date.astype(str).tolist()
    ['2023-03-01']
    """
    columns = [
        "developer",
        "platform",
        "platform_owner",
        "available_from",
        "exclusive_until",
        "models",
    ]
    if availability.empty:
        return pd.DataFrame(columns=columns)
    out = (
        availability.groupby(["developer", "platform"], sort=True)
        .agg(
            platform_owner=("platform_owner", "first"),
            available_from=("available_from", "min"),
            exclusive_until=("exclusive_until", "max"),
            models=("model_family", lambda s: ";".join(sorted(set(s)))),
        )
        .reset_index()
    )
    return out[columns]


def multihoming(
    availability: pd.DataFrame,
    dates: Iterable[object] | None = None,
    clouds: Sequence[str] = CLOUD_PLATFORMS,
    end: object | None = None,
) -> pd.DataFrame:
    """How many hyperscaler clouds carry each developer's models, over time.

    A developer counts on a cloud from the first ``available_from`` of any of its model families
    there (flagship or not; the data rows are the flagship families the curators recorded).

    Parameters
    ----------
    availability : DataFrame
        Processed ``availability`` table.
    dates : iterable, optional
        Dates to evaluate; default quarter ends from the first availability to ``end``.
    clouds : sequence of str
        Platforms counted as clouds (default :data:`CLOUD_PLATFORMS`).
    end : date, optional
        Last date of the default grid (default: the latest ``available_from``).

    Returns
    -------
    DataFrame
        Index ``date``; one column per developer; number of clouds.

    Examples
    --------
    >>> a = pd.DataFrame({"developer": ["o", "o"], "platform": ["azure", "amazon_bedrock"],
    ...     "platform_owner": ["m", "a"], "model_family": ["x", "y"],
    ...     "available_from": pd.to_datetime(["2023-03-21", "2025-08-05"]),
    ...     "exclusive_until": pd.to_datetime([None, None])})
    >>> multihoming(a, ["2024-01-01", "2026-01-01"])["o"].tolist()
    [1, 2]
    """
    on_cloud = availability.loc[availability["platform"].isin(list(clouds))]
    if dates is None:
        if on_cloud.empty:
            return pd.DataFrame(index=pd.DatetimeIndex([], name="date"))
        start = on_cloud["available_from"].min()
        stop = pd.Timestamp(end) if end is not None else on_cloud["available_from"].max()
        grid = pd.date_range(start.to_period("Q").start_time, stop, freq="QE")
        dates = [*grid, stop] if len(grid) == 0 or grid[-1] < stop else grid
    index = pd.DatetimeIndex(pd.to_datetime(list(dates)), name="date")
    spans = availability_spans(on_cloud)
    out = {}
    for dev, grp in spans.groupby("developer", sort=True):
        first = grp["available_from"].to_numpy()
        out[dev] = [int((first <= d.to_datetime64()).sum()) for d in index]
    return pd.DataFrame(out, index=index)


# --------------------------------------------------------------------------------------------
# Funding: European against US labs
# --------------------------------------------------------------------------------------------


def dedupe_rounds(rounds: pd.DataFrame, warn: bool = True) -> pd.DataFrame:
    """One row per funding round, as the data marks it (rule for the several sources of a round).

    Rules: :func:`analysis.data.primary_rows` drops a row whose ``alternate_of`` names a row
    present in ``rounds`` (in an as-of view before the preferred row was published the alternate
    stays); then ``rumoured`` rows (talks) are dropped. No id, status or date heuristic picks
    between versions: rows that still look like versions of one round (see
    :func:`unmarked_versions`) are all kept, and a warning names them (``warn``), so that a
    missing ``alternate_of`` shows instead of being silently resolved.

    Returns
    -------
    DataFrame
        The kept rows with ``round_key`` (the ``round_id``), sorted by date and company.

    Examples
    --------
    >>> r = pd.DataFrame({"round_id": ["a-2023-11", "a-2023-11-equity"], "company": ["a", "a"],
    ...     "round": ["series_b", "series_b"], "status": ["announced", "announced"],
    ...     "announced_date": pd.to_datetime(["2023-11-06", "2023-11-06"]),
    ...     "amount_raised": [500e6, 110e6], "alternate_of": [None, None]})
    >>> dedupe_rounds(r.assign(alternate_of=["a-2023-11-equity", None]))["round_id"].tolist()
    ['a-2023-11-equity']
    """
    frame = primary_rows(rounds, "funding_rounds")
    frame = frame.loc[frame["status"] != "rumoured"].copy()
    if frame.empty:
        return frame.assign(round_key=pd.Series(dtype="object"))
    frame["round_key"] = frame["round_id"]
    if warn:
        loose = unmarked_versions(frame)
        if len(loose):
            groups = "; ".join(
                ",".join(g["round_id"]) for _, g in loose.groupby("version_group", sort=True)
            )
            warnings.warn(
                f"funding_rounds: {len(loose)} rows look like versions of the same round but "
                f"no alternate_of links them; all are counted until the data marks them: {groups}",
                stacklevel=2,
            )
    return frame.sort_values(["announced_date", "company", "round_id"]).reset_index(drop=True)


def unmarked_versions(rounds: pd.DataFrame, window_days: int = 92) -> pd.DataFrame:
    """Rows of funding rounds that look like versions of one round but are not marked as such.

    A diagnostic (it decides nothing): after :func:`analysis.data.primary_rows` and without
    rumoured rows, rows are grouped when they share company and a named ``round`` (not
    ``unnamed`` or ``tender``), or the ``round_id`` stem ``company-YYYY-MM``, or company and
    amount within ``window_days``. Groups of two or more rows are returned.

    Returns
    -------
    DataFrame
        The rows of such groups with ``version_group`` (the first ``round_id`` of the group).

    Examples
    --------
    >>> r = pd.DataFrame({"round_id": ["a-2023-11", "a-2023-11-equity"], "company": ["a", "a"],
    ...     "round": ["series_b", "series_b"], "status": ["announced", "announced"],
    ...     "announced_date": pd.to_datetime(["2023-11-06", "2023-11-06"]),
    ...     "amount_raised": [500e6, 110e6]})
    >>> unmarked_versions(r)["version_group"].tolist()
    ['a-2023-11', 'a-2023-11']
    """
    frame = primary_rows(rounds, "funding_rounds")
    frame = frame.loc[frame["status"] != "rumoured"]
    if frame.empty:
        return frame.assign(version_group=pd.Series(dtype="object"))
    frame = frame.sort_values(["company", "announced_date", "round_id"]).reset_index(drop=True)
    stem = (
        frame["round_id"].str.extract(r"^(.*?-\d{4}-\d{2})", expand=False).fillna(frame["round_id"])
    )
    named = ~frame["round"].isin(["unnamed", "tender"])
    key = np.where(named, frame["company"] + ":" + frame["round"].astype(str), stem)
    parent = list(range(len(frame)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for labels in (pd.Series(key), stem):
        for _, idx in labels.groupby(labels).groups.items():
            idx = list(idx)
            for i in idx[1:]:
                parent[find(i)] = find(idx[0])
    for _, grp in frame.groupby("company"):
        rows = list(grp.itertuples())
        for a_i, a in enumerate(rows):
            for b in rows[a_i + 1 :]:
                if (
                    pd.notna(a.amount_raised)
                    and a.amount_raised == b.amount_raised
                    and abs((b.announced_date - a.announced_date).days) <= window_days
                ):
                    parent[find(a.Index)] = find(b.Index)
    roots = [find(i) for i in range(len(frame))]
    first = {
        r: frame.loc[[i for i in range(len(frame)) if roots[i] == r], "round_id"].min()
        for r in set(roots)
    }
    frame = frame.assign(version_group=[first[r] for r in roots])
    sizes = frame.groupby("version_group")["round_id"].transform("size")
    return frame.loc[sizes > 1].reset_index(drop=True)


def funding_by_region(
    rounds: pd.DataFrame,
    companies: pd.DataFrame,
    freq: str = "year",
    kinds: Sequence[str] = ("lab",),
    amount: str = "amount_raised_usd",
) -> pd.DataFrame:
    """New money raised by labs per period and headquarters region (US dollars).

    Parameters
    ----------
    rounds : DataFrame
        Processed ``funding_rounds`` (as of a date); one row per round by the data's
        ``alternate_of`` marking (:func:`dedupe_rounds`).
    companies : DataFrame
        The ``companies`` reference table (``region``, ``kind``).
    freq : {"year", "quarter"}
        Period of the rows.
    kinds : sequence of str
        Company kinds counted (default labs only).

    Returns
    -------
    DataFrame
        Index ``period`` (year as int, or ``"2024Q1"``); one column per region; USD billions
        (0 where none; undisclosed amounts and ceilings, ``up_to``, count as nothing).
    """
    deduped = dedupe_rounds(rounds)
    info = companies.set_index("company_id")
    deduped = deduped.loc[deduped["company"].map(info["kind"]).isin(list(kinds))]
    if deduped.empty:
        return pd.DataFrame(index=pd.Index([], name="period"))
    not_ceiling = (
        deduped["amount_qualifier"] != "up_to"
        if "amount_qualifier" in deduped
        else pd.Series(True, index=deduped.index)
    )
    dates = deduped["announced_date"]
    period = dates.dt.year if freq == "year" else dates.dt.to_period("Q").astype(str)
    frame = pd.DataFrame(
        {
            "period": period.to_numpy(),
            "region": deduped["company"].map(info["region"]).to_numpy(),
            "usd_bn": deduped[amount].where(not_ceiling, 0.0).fillna(0.0).to_numpy() / 1e9,
        }
    )
    out = frame.pivot_table(index="period", columns="region", values="usd_bn", aggfunc="sum")
    out = out.fillna(0.0).sort_index()
    out.columns.name = None
    return out


def hyperscaler_ties(
    deals: pd.DataFrame,
    availability: pd.DataFrame,
    companies: pd.DataFrame,
    region: str | None = None,
) -> pd.DataFrame:
    """Which hyperscalers each lab is tied to: by money (stakes, compute) and by distribution.

    Returns
    -------
    DataFrame
        One row per lab (of ``region`` if given): ``lab``, ``name``, ``region``, ``investors``
        (hyperscalers with stakes), ``stake_usd_bn`` (their counted stake money, see
        :func:`classify_network_deals`), ``stake_ceiling_usd_bn`` (their ``up_to`` ceilings, not
        counted), ``compute`` (hyperscalers selling it compute), ``platforms`` (hyperscaler-run
        platforms carrying its models). Labs with no tie are kept with empty cells.
    """
    info = companies.set_index("company_id")
    hyperscalers = set(info.index[info["kind"] == "hyperscaler"])
    labs = info.index[info["kind"] == "lab"]
    if region is not None:
        labs = [lab for lab in labs if info.loc[lab, "region"] == region]
    firm = firm_deals(classify_network_deals(deals)) if len(deals) else deals
    rows = []
    for lab in sorted(labs):
        d = (
            firm.loc[(firm["investee"] == lab) & firm["investor"].isin(hyperscalers)]
            if len(firm)
            else firm
        )
        stakes = d.loc[d["deal_type"].map(RELATION) == "stake"] if len(d) else d
        compute = d.loc[d["deal_type"].map(RELATION) == "compute"] if len(d) else d
        av = (
            availability.loc[
                (availability["developer"] == lab)
                & availability["platform_owner"].isin(hyperscalers)
            ]
            if len(availability)
            else availability
        )
        rows.append(
            {
                "lab": lab,
                "name": info.loc[lab, "name"],
                "region": info.loc[lab, "region"],
                "investors": ";".join(sorted(set(stakes["investor"]))) if len(stakes) else "",
                "stake_usd_bn": (
                    float(stakes.loc[stakes["counted"], "amount_usd"].sum()) / 1e9
                    if len(stakes)
                    else 0.0
                ),
                "stake_ceiling_usd_bn": (
                    float(stakes.loc[stakes["ceiling"], "amount_usd"].sum()) / 1e9
                    if len(stakes)
                    else 0.0
                ),
                "compute": ";".join(sorted(set(compute["investor"]))) if len(compute) else "",
                "platforms": ";".join(sorted(set(av["platform"]))) if len(av) else "",
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "lab",
            "name",
            "region",
            "investors",
            "stake_usd_bn",
            "stake_ceiling_usd_bn",
            "compute",
            "platforms",
        ],
    )


# --------------------------------------------------------------------------------------------
# Claims of the seed article
# --------------------------------------------------------------------------------------------


def deal_total(
    deals: pd.DataFrame,
    investors: Iterable[str],
    investee: str,
    deal_types: Iterable[str] = ("equity", "convertible_note"),
    until: object | None = None,
) -> dict[str, object]:
    """Counted money from ``investors`` into ``investee`` (rules of :func:`classify_network_deals`).

    One row per fact (``alternate_of``), rumoured rows dropped; only rows marked ``counted`` are
    summed. Ceilings (``up_to``) are reported apart and never added.

    Returns
    -------
    dict
        ``usd`` (sum of counted amounts, US dollars), ``rows`` (counted deal ids),
        ``undisclosed`` (deal ids without an amount), ``ceilings`` (ids whose amount is an
        ``up_to`` ceiling), ``ceiling_usd`` (their sum, not in ``usd``), ``not_counted`` (other
        ids with an amount that were not counted), ``floor`` (a counted row is an ``at_least``
        figure), ``possible_duplicates`` (counted ids that ``classify_deals`` flags as the same
        tranche as another counted row without an ``alternate_of`` link: to review),
        ``publishers``.

    Examples
    --------
    >>> d = pd.DataFrame({"deal_id": ["a", "b"], "investor": ["m", "m"], "investee": ["o", "o"],
    ...     "deal_type": ["equity", "equity"], "amount_usd": [1e9, None],
    ...     "amount_qualifier": ["exact", None], "status": ["announced", "announced"],
    ...     "announced_date": pd.to_datetime(["2019-07-22", "2023-01-23"]),
    ...     "publisher": ["OpenAI", "Microsoft"]})
    >>> t = deal_total(d, ["m"], "o")
    >>> t["usd"], t["undisclosed"]
    (1000000000.0, ['b'])
    """
    empty = {
        "usd": 0.0,
        "rows": [],
        "undisclosed": [],
        "ceilings": [],
        "ceiling_usd": 0.0,
        "not_counted": [],
        "floor": False,
        "possible_duplicates": [],
        "publishers": [],
    }
    if deals.empty:
        return empty
    d = firm_deals(classify_network_deals(deals))
    d = d.loc[
        d["investor"].isin(list(investors))
        & (d["investee"] == investee)
        & d["deal_type"].isin(list(deal_types))
    ]
    if until is not None:
        d = d.loc[d["announced_date"] <= pd.Timestamp(until)]
    if d.empty:
        return empty
    has = d["amount_usd"].notna()
    counted = d.loc[d["counted"]]
    return {
        "usd": float(counted["amount_usd"].sum()),
        "rows": sorted(counted["deal_id"]),
        "undisclosed": sorted(d.loc[~has, "deal_id"]),
        "ceilings": sorted(d.loc[d["ceiling"], "deal_id"]),
        "ceiling_usd": float(d.loc[d["ceiling"], "amount_usd"].sum()),
        "not_counted": sorted(d.loc[has & ~d["counted"] & ~d["ceiling"], "deal_id"]),
        "floor": bool((counted["amount_qualifier"] == "at_least").any()),
        "possible_duplicates": sorted(
            counted.loc[
                counted.get("possible_duplicate_of", pd.Series("", index=counted.index))
                .fillna("")
                .ne(""),
                "deal_id",
            ]
        ),
        "publishers": sorted(set(d["publisher"].dropna())) if "publisher" in d else [],
    }


@dataclass(frozen=True)
class Claim:
    """A quantitative claim of the seed article and how to check it against the data.

    Attributes
    ----------
    claim_id : str
        Short key.
    text : str
        The claim in our words.
    kind : str
        ``round_amount``, ``round_valuation``, ``round_lead``, ``deal_total`` or ``platforms``.
    params : mapping
        What to look up (company, investors, amounts in the claim's currency ...).
    """

    claim_id: str
    text: str
    kind: str
    params: Mapping[str, object]


#: Claims of the seed article (Microsoft-Mistral announcement, 26 February 2024). The numbers are
#: the article's claims, not data; the data side is computed by :func:`check_claims`.
SEED_CLAIMS: tuple[Claim, ...] = (
    Claim(
        "mistral_amount_press",
        "Mistral AI raised about EUR 450M in its December 2023 round",
        "round_amount",
        {"company": "mistral_ai", "round": "series_a", "amount": 450e6, "currency": "EUR"},
    ),
    Claim(
        "mistral_amount_announced",
        "Mistral AI announced EUR 385M for that round",
        "round_amount",
        {"company": "mistral_ai", "round": "series_a", "amount": 385e6, "currency": "EUR"},
    ),
    Claim(
        "mistral_valuation",
        "The round valued Mistral AI at nearly USD 2B",
        "round_valuation",
        {"company": "mistral_ai", "round": "series_a", "valuation_usd": 2e9},
    ),
    Claim(
        "mistral_lead",
        "The round was led by Andreessen Horowitz (a16z)",
        "round_lead",
        {"company": "mistral_ai", "round": "series_a", "lead": "andreessen horowitz"},
    ),
    Claim(
        "openai_microsoft",
        "OpenAI has received well over USD 10B from Microsoft",
        "deal_total",
        {"investors": ("microsoft",), "investee": "openai", "usd": 10e9, "qualifier": "at_least"},
    ),
    Claim(
        "anthropic_google_amazon",
        "Anthropic has up to USD 6B from Google and Amazon",
        "deal_total",
        {
            "investors": ("alphabet", "amazon"),
            "investee": "anthropic",
            "usd": 6e9,
            "qualifier": "up_to",
        },
    ),
    Claim(
        "mistral_large_platforms",
        "Mistral Large is at first available only on Azure and Mistral's own platform",
        "platforms",
        {"developer": "mistral_ai", "model": "mistral large", "platforms": ("azure", "own_api")},
    ),
)


def _round_rows(rounds: pd.DataFrame, company: str, round_name: str, until: object) -> pd.DataFrame:
    """Every source's version of one round: a claim may quote any of them, so all are evidence
    (the verdict says which version supports it); rumoured rows are dropped."""
    if rounds.empty:
        return rounds
    r = rounds.loc[(rounds["company"] == company) & (rounds["round"] == round_name)]
    r = r.loc[r["status"] != "rumoured"]
    if until is not None:
        r = r.loc[r["announced_date"] <= pd.Timestamp(until)]
    return r.sort_values(["announced_date", "round_id"])


def _fmt_money(value: float, currency: str = "USD") -> str:
    if pd.isna(value):
        return "n/a"
    if abs(value) >= 1e9:
        return f"{currency} {value / 1e9:.2f}B"
    return f"{currency} {value / 1e6:.0f}M"


def _evaluate(claim: Claim, t: Mapping[str, pd.DataFrame], until: object) -> dict[str, object]:
    """Value, verdict and evidence of one claim on one set of tables."""
    p = claim.params
    tol = 0.1
    if claim.kind.startswith("round_") and until is None:
        rounds = (
            dedupe_rounds(t["funding_rounds"], warn=False) if len(t["funding_rounds"]) else None
        )
        if rounds is None or not (rounds["company"] == p["company"]).any():
            return {"value": "no row", "verdict": "not in data", "evidence": "", "publishers": ""}
        own = rounds.loc[rounds["company"] == p["company"]]
        last = own.iloc[-1]
        # versions of the latest round that the data does not mark: show them all, pick none
        loose = unmarked_versions(own)
        group = loose.loc[loose["round_id"] == last["round_id"], "version_group"]
        versions = (
            own.loc[own["round_id"].isin(loose.loc[loose["version_group"].isin(group), "round_id"])]
            if len(group)
            else own.iloc[[-1]]
        )
        value = " | ".join(
            f"latest round {v['round']} ({v['announced_date'].date()}): "
            f"{_fmt_money(v['amount_raised'], str(v['currency']))} raised, valuation "
            f"{_fmt_money(v['valuation'], str(v['valuation_currency']))} "
            f"({v['valuation_basis']}; {v['round_id']})"
            for _, v in versions.iterrows()
        )
        return {
            "value": value,
            "verdict": "later round" if last["round"] != p["round"] else "no later round",
            "evidence": ";".join(versions["round_id"]),
            "publishers": "; ".join(sorted(set(versions["publisher"].dropna()))),
        }
    if claim.kind in ("round_amount", "round_valuation", "round_lead"):
        rows = _round_rows(t["funding_rounds"], p["company"], p["round"], until)
        if rows.empty:
            return {"value": "no row", "verdict": "not in data", "evidence": "", "publishers": ""}
        if claim.kind == "round_amount":
            same = rows.loc[rows["currency"] == p["currency"]]
            vals = [
                f"{_fmt_money(a, c)} ({s})"
                for a, c, s in zip(
                    rows["amount_raised"], rows["currency"], rows["status"], strict=True
                )
            ]
            match = same.loc[(same["amount_raised"] / p["amount"] - 1).abs() <= 0.02]
            firm = rows.loc[rows["status"] == "announced"]
            if match.empty:
                verdict = "not supported"
            elif (match["status"] == "announced").any():
                verdict = "supported (announced)"
            elif len(firm):
                verdict = "press figure; differs from the announced amount"
            else:
                verdict = "supported (reported)"
            ev = match if len(match) else rows
        elif claim.kind == "round_valuation":
            vals_usd = rows["valuation_usd"]
            vals = [
                f"{_fmt_money(v, c)} {q} ({s})"
                for v, c, q, s in zip(
                    rows["valuation"],
                    rows["valuation_currency"],
                    rows["valuation_qualifier"],
                    rows["status"],
                    strict=True,
                )
                if pd.notna(v)
            ]
            ok = ((vals_usd / p["valuation_usd"] - 1).abs() <= tol) | (
                (vals_usd <= p["valuation_usd"]) & (vals_usd >= p["valuation_usd"] * (1 - tol))
            )
            ev = rows.loc[ok.fillna(False)]
            verdict = (
                "supported (approximate)"
                if len(ev) and (ev["valuation_qualifier"] == "about").any()
                else "supported"
                if len(ev)
                else "not supported"
                if vals_usd.notna().any()
                else "not in data"
            )
            if ev.empty:
                ev = rows
        else:
            leads = rows["lead_investors"].fillna("").str.lower()
            vals = sorted(set(rows["lead_investors"].dropna()))
            hit = leads.str.contains(str(p["lead"]), regex=False)
            ev = rows.loc[hit] if hit.any() else rows
            verdict = "supported" if hit.any() else "not supported"
        return {
            "value": "; ".join(vals) if vals else "n/a",
            "verdict": verdict,
            "evidence": ";".join(ev["round_id"]),
            "publishers": "; ".join(sorted(set(ev["publisher"].dropna()))),
        }
    if claim.kind == "deal_total":
        total = deal_total(t["deals"], p["investors"], p["investee"], until=until)
        usd, claimed = float(total["usd"]), float(p["usd"])
        extra = (
            f"; ceilings not counted: {_fmt_money(float(total['ceiling_usd']))} in "
            f"{len(total['ceilings'])} rows (up to)"
            if total["ceilings"]
            else ""
        )
        extra += f"; {len(total['undisclosed'])} undisclosed" if total["undisclosed"] else ""
        if total["possible_duplicates"]:
            extra += "; possible unmarked duplicates: " + ", ".join(total["possible_duplicates"])
        if not total["rows"] and not total["undisclosed"] and not total["ceilings"]:
            verdict = "not in data"
        elif p["qualifier"] == "at_least":
            verdict = "supported" if usd > claimed else "not supported by disclosed amounts"
        elif p["qualifier"] == "up_to":
            if usd > claimed * (1 + tol):
                verdict = "exceeded"
            elif usd >= claimed * (1 - tol):
                verdict = "supported"
            else:
                verdict = "consistent: disclosed tranches below the ceiling"
        else:
            verdict = "supported" if abs(usd / claimed - 1) <= tol else "not supported"
        return {
            "value": f"{_fmt_money(usd)} counted in {len(total['rows'])} deals{extra}",
            "verdict": verdict,
            "evidence": ";".join(total["rows"] + total["ceilings"] + total["undisclosed"]),
            "publishers": "; ".join(total["publishers"]),
        }
    if claim.kind == "platforms":
        av = t["availability"]
        if av.empty:
            return {"value": "no row", "verdict": "not in data", "evidence": "", "publishers": ""}
        rows = av.loc[
            (av["developer"] == p["developer"])
            & av["model_family"].str.lower().str.contains(str(p["model"]), regex=False)
        ]
        if until is not None:
            rows = rows.loc[rows["available_from"] <= pd.Timestamp(until)]
        if rows.empty:
            return {"value": "no row", "verdict": "not in data", "evidence": "", "publishers": ""}
        if until is None:
            spans = availability_spans(rows)
            value = ", ".join(
                f"{pl} from {d.date()}"
                for pl, d in zip(spans["platform"], spans["available_from"], strict=True)
            )
            return {
                "value": value,
                "verdict": f"on {len(spans)} platforms",
                "evidence": ";".join(rows["availability_id"]),
                "publishers": "; ".join(sorted(set(rows["publisher"].dropna()))),
            }
        first = rows.loc[rows["available_from"] == rows["available_from"].min()]
        platforms = sorted(set(first["platform"]))
        claimed = sorted(p["platforms"])
        if platforms == claimed:
            verdict = "supported"
        elif set(platforms) < set(claimed):
            verdict = (
                "partly in data: " + ", ".join(sorted(set(claimed) - set(platforms))) + " missing"
            )
        else:
            verdict = "not supported"
        return {
            "value": ", ".join(platforms) + f" from {first['available_from'].min().date()}",
            "verdict": verdict,
            "evidence": ";".join(first["availability_id"]),
            "publishers": "; ".join(sorted(set(first["publisher"].dropna()))),
        }
    raise ValueError(f"unknown claim kind {claim.kind!r}")


def check_claims(
    known_then: Mapping[str, pd.DataFrame],
    known_now: Mapping[str, pd.DataFrame],
    article_date: object,
    claims: Sequence[Claim] = SEED_CLAIMS,
) -> pd.DataFrame:
    """Check each claim of the seed article against the data.

    Parameters
    ----------
    known_then : mapping of DataFrame
        ``funding_rounds``, ``deals`` and ``availability`` as known on the article date.
    known_now : mapping of DataFrame
        The same tables as known on the analysis date (``as_of``).
    article_date : date
        Date of the article.
    claims : sequence of Claim
        Default :data:`SEED_CLAIMS`.

    Returns
    -------
    DataFrame
        One row per claim: ``claim``, ``value_then`` (data public on the article date),
        ``value`` and ``verdict`` (sources known now about events up to the article date; the
        verdict), ``evidence`` (row ids), ``publishers``, ``value_since`` and ``verdict_since``
        (the same quantity including events after the article date: what changed since).
    """
    rows = []
    for claim in claims:
        then = _evaluate(claim, known_then, article_date)
        now = _evaluate(claim, known_now, article_date)
        since = _evaluate(claim, known_now, None)
        rows.append(
            {
                "claim_id": claim.claim_id,
                "claim": claim.text,
                "value_then": then["value"],
                "verdict_then": then["verdict"],
                "value": now["value"],
                "verdict": now["verdict"],
                "evidence": now["evidence"],
                "publishers": now["publishers"],
                "value_since": since["value"],
                "verdict_since": since["verdict"],
            }
        )
    return pd.DataFrame(rows)
