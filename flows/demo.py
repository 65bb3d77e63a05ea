"""``imh-edgar demo``: the real pipeline, fully offline, in one command.

A small EDGAR mirror is generated (corpus/: three generated deals month by month, one 8-K/A restating a
month, and the real Impac CMB Trust 2002-2 statement), served by edgar's test server on 127.0.0.1, and
ingested by the same ``backfill`` flow a deployment runs, against an ephemeral Prefect and the default SQLite
database under the data directory. Nothing in the pipeline is faked: discovery, one request per filing, the
raw store, parsing, reconciliation and the upserts are the production code. A second run shows that
re-running changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from unittest import mock

__all__ = ["DEMO_SEED", "SAMPLE_SQL", "DemoSetup", "demo_environment", "prepare_demo"]

DEMO_SEED = 2002
MIRROR_DIR_NAME = "demo-mirror"

SAMPLE_SQL = """\
SELECT deal.name, distribution.distribution_date, bond_class.class_name, bond_class.current_principal_balance
FROM bond_class
JOIN distribution ON distribution.id = bond_class.distribution_id
JOIN deal ON deal.id = distribution.deal_id
WHERE distribution.is_current AND NOT bond_class.is_total
ORDER BY deal.name, distribution.distribution_date DESC, bond_class.class_name
LIMIT 6"""


@dataclass(frozen=True, slots=True)
class DemoSetup:
    data_dir: Path
    mirror: Path
    first_filed: date
    last_filed: date
    filings: int
    explicit_ciks: tuple[int, ...]

    @property
    def database_path(self) -> Path:
        return self.data_dir / "imh_edgar.db"


def prepare_demo(data_dir: Path, *, seed: int = DEMO_SEED) -> DemoSetup:
    """Generate the demo mirror under ``data_dir`` (once; a later demo reuses it) and describe it."""
    from corpus.mirror import MANIFEST_NAME, PRESETS, Manifest, generate_mirror

    data_dir = data_dir.expanduser().resolve()
    mirror = data_dir / MIRROR_DIR_NAME
    if not (mirror / MANIFEST_NAME).exists():
        generate_mirror(mirror, seed=seed, **asdict(PRESETS["small"]))

    manifest = Manifest.load(mirror)
    if manifest.first_filed is None or manifest.last_filed is None:
        raise RuntimeError(f"the demo mirror at {mirror} lists no filings; delete it and run the demo again")
    return DemoSetup(
        data_dir=data_dir,
        mirror=mirror,
        first_filed=manifest.first_filed,
        last_filed=manifest.last_filed,
        filings=len(manifest.filings),
        explicit_ciks=tuple(manifest.explicit_ciks),
    )


@contextmanager
def demo_environment(setup: DemoSetup) -> Iterator[str]:
    """Serve the mirror on loopback and point every IMH_* setting at it and at the data directory.

    Settings a user may have exported for SEC or PostgreSQL are set aside for the duration: the demo always
    writes the default SQLite database under the data directory. Yields the test server's URL.
    """
    from edgar.testserver import EdgarTestServer
    from flows.runtime import heartbeats_off

    with EdgarTestServer(setup.mirror) as server:
        values = {
            "IMH_SEC_WWW_URL": server.url,
            "IMH_SEC_DATA_URL": server.url,
            "IMH_DATA_DIR": str(setup.data_dir),
            "IMH_CIKS": ",".join(str(cik) for cik in setup.explicit_ciks),
            "IMH_FULL_INDEX_START": date(setup.first_filed.year, 1, 1).isoformat(),
            # A local mirror, not SEC: no fair-access limit to respect, so the demo is not throttled to 5/s.
            "IMH_MAX_REQUESTS_PER_SECOND": "50",
        }
        # patch.dict restores the whole environment afterwards, the IMH_* variables removed here included.
        with mock.patch.dict(os.environ), heartbeats_off():
            for key in [k for k in os.environ if k.startswith("IMH_")]:
                del os.environ[key]
            os.environ.update(values)
            yield server.url
