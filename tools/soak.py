"""`make soak`: N full runs of the features and M interrupted ones; what they
left and each scenario's pass count in reports/soak-<id>/ (fixtures/soak/cli.py)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fixtures.soak.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
