"""Bedrock knowledge-base ingestion jobs, and the knowledge bases and data sources they sync.

``bedrock_agent_ingestion(ctx, i) -> (summary, parents)``: ``parents`` are the
``(operation, summary)`` of the stream's knowledge bases and their data
sources, which the fake serves through ListKnowledgeBases and ListDataSources
(the walk a client makes first). A stream (region, account) always has the
same three knowledge bases with one to three data sources each, whatever the
seed, so jobs started later (``jobinventory.testing.evolve``) belong to
served parents; some data sources have no job. Ids are 10 upper-case
alphanumerics, as Bedrock's.
"""
from __future__ import annotations

import random
from typing import Any

_KB_PURPOSES = ("support-docs", "hr-policies", "product-manuals", "legal-contracts", "eng-wiki")
_SOURCES = ("s3", "confluence", "web", "sharepoint")
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _id(rng: random.Random) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(10))


def _pool(ctx) -> list[dict[str, Any]]:
    pool = ctx.pools.get("knowledge-bases")
    if pool is not None:
        return pool
    rng = random.Random(f"knowledge-bases:{ctx.region}:{ctx.account}")
    pool = ctx.pools["knowledge-bases"] = []
    for k, purpose in enumerate(rng.sample(_KB_PURPOSES, 3)):
        updated = ctx.at(ctx.now_ms - rng.randrange(30, 200) * 86_400_000)
        kb = {"knowledgeBaseId": _id(rng), "name": f"{purpose}-kb", "status": "ACTIVE", "updatedAt": updated}
        if k != 1:
            kb["description"] = f"Knowledge base over the {purpose.replace('-', ' ')}"
        sources = [{"knowledgeBaseId": kb["knowledgeBaseId"], "dataSourceId": _id(rng),
                    "name": f"{rng.choice(_SOURCES)}-{purpose}-{d}", "status": "AVAILABLE", "updatedAt": updated}
                   for d in range(1 + rng.randrange(3))]
        pool.append({"kb": kb, "sources": sources})
    return pool


def bedrock_agent_ingestion(ctx, i):
    pool = _pool(ctx)
    source = ctx.pick(ctx.pick(pool)["sources"])
    status, klass = ctx.status()
    created, modified, ended = ctx.times(klass)
    summary: dict[str, Any] = {
        "knowledgeBaseId": source["knowledgeBaseId"], "dataSourceId": source["dataSourceId"],
        "ingestionJobId": ctx.base36(10).upper(), "status": status, "startedAt": created, "updatedAt": modified,
    }
    if status != "STARTING":
        scanned = int(ctx.random() * 5000)
        failed = int(scanned * 0.05 * ctx.random()) if klass == "failed" else 0
        new = int((scanned - failed) * ctx.random())
        summary["statistics"] = {
            "numberOfDocumentsScanned": scanned, "numberOfMetadataDocumentsScanned": 0,
            "numberOfNewDocumentsIndexed": new, "numberOfModifiedDocumentsIndexed": scanned - failed - new,
            "numberOfMetadataDocumentsModified": 0, "numberOfDocumentsDeleted": int(ctx.random() * 10),
            "numberOfDocumentsFailed": failed, "numberOfDocumentsSkipped": 0,
        }
    if status == "COMPLETE" and ctx.chance(0.5):
        summary["textReadyAt"] = ended
    if ctx.chance(0.2):
        summary["description"] = "Nightly sync"
    parents = [("ListKnowledgeBases", b["kb"]) for b in pool]
    parents += [("ListDataSources", s) for b in pool for s in b["sources"]]
    return summary, tuple(parents)
