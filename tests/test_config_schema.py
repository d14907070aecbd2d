"""`--config`: every key known, every number finite and in range (svc_cli.config_schema)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from svc_cli.config import load_config
from svc_cli.errors import ConfigError

BAD = [
    ("[dimensions.goods]\nweight = nan\n", "dimensions.goods.weight: must be a finite number"),
    ("[dimensions.goods]\nweight = inf\n", "dimensions.goods.weight: must be a finite number"),
    (
        "[indicators.help_rate]\nweight = nan\n",
        "indicators.help_rate.weight: must be a finite number",
    ),
    (
        "[indicators.help_rate]\nanchors = [[0.001, 50], [0.015, 3.0]]\n",
        "indicators.help_rate.anchors[0] sub-score: must be at most 5",
    ),
    (
        "[indicators.help_rate]\nanchors = [[0.001, 3.0], [0.015, 5.0]]\n",
        "indicators.help_rate.anchors: anchors out of order",
    ),
    (
        "[indicators.delivery_hours]\nanchors = [[-1, 5.0], [72, 3.0]]\n",
        "indicators.delivery_hours.anchors[0]: must be at least 0",
    ),
    ("[addon]\ncap = -1\n", "addon.cap: must be at least 0"),
    ("[tiers]\nhigh = 4.4\n", "tiers: ordinary (4.5) must be below high (4.4)"),
    ("[tiers]\nordinary = -1\n", "tiers.ordinary: must be at least 3"),
    ("[tierz]\nhigh = 4.9\n", "tierz: unknown key"),
    ("[tiers]\nhihg = 4.9\n", "tiers.hihg: unknown key"),
    ("[indicators.help_rate]\nwieght = 0.35\n", "indicators.help_rate.wieght: unknown key"),
    ("[dimensions.goods]\nweight = 0.3\n", "dimensions: weights add up to 1.05"),
    (
        "[indicators.help_rate]\nweight = 0.30\n",
        "indicators of dimension 'service': weights add up to 1.05",
    ),
    ("[window]\nscore_days = 30.5\n", "window.score_days: must be a whole number"),
    ("[window]\nscore_days = true\n", "window.score_days: must be a number"),
    ("timezone = 'Mars/Olympus'\n", "timezone: unknown time zone"),
    ("[services.x]\nindustry = 'any'\npoints = 2.0\n", "services.x.points: must be at most 0.3"),
    (
        "[industries.food.anchors]\nspeed = [[1, 5.0], [2, 4.0]]\n",
        "industries.food.anchors.speed: not an indicator",
    ),
]


@pytest.mark.parametrize(("toml", "message"), BAD, ids=[m.split(":")[0] for _, m in BAD])
def test_invalid_config_is_an_error_naming_the_key(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "model.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in caught.value.message
    assert str(path) in caught.value.message


def test_misspelt_key_suggests_the_right_one(tmp_path: Path, run: Any, golden_db: Path) -> None:
    path = tmp_path / "model.toml"
    path.write_text("[tiers]\nhihg = 4.9\n", encoding="utf-8")
    result = run("score", golden_db, "--config", path)
    assert result.exit_code == 2
    assert (
        "tiers.hihg: unknown key" in result.stderr and "did you mean tiers.high?" in result.stderr
    )


def test_nan_weight_never_reaches_the_scores(tmp_path: Path, run: Any, golden_db: Path) -> None:
    path = tmp_path / "model.toml"
    path.write_text("[dimensions.goods]\nweight = nan\n", encoding="utf-8")
    result = run("score", golden_db, "--config", path, "-f", "json")
    assert result.exit_code == 2 and result.stdout == ""


def test_the_shipped_model_passes_the_schema() -> None:
    """load_config() trusts model.toml without --config (start-up time): it is checked here,
    and an empty user file gives the same model as none."""
    import tomllib

    from svc_cli.config import KNOWN_INDICATORS, default_config_text
    from svc_cli.config_schema import validate

    shipped = tomllib.loads(default_config_text())
    validate(shipped, "default", KNOWN_INDICATORS, shipped)


def test_the_parsed_default_model_is_model_toml() -> None:
    """svc_cli.model_defaults (the default model without tomllib at start-up) holds
    exactly what model.toml says: after editing model.toml, run
    ``python docs/update_model_defaults.py``."""
    import tomllib

    from svc_cli.config import default_config_text
    from svc_cli.model_defaults import MODEL

    assert tomllib.loads(default_config_text()) == MODEL


def test_an_empty_config_file_is_the_default_model(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_text("", encoding="utf-8")
    assert load_config(path)._replace(source="default") == load_config()


def test_valid_overrides_still_work(tmp_path: Path) -> None:
    path = tmp_path / "model.toml"
    path.write_text(
        "[tiers]\nhigh = 4.9\n[dimensions.goods]\nweight = 0.2\n[dimensions.service]\n"
        "weight = 0.55\n[industries.food.anchors]\n"
        "delivery_hours = [[36, 5.0], [48, 4.5], [60, 4.0], [96, 3.0]]\n",
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.tier_high == 4.9 and config.dimensions["goods"] == 0.2


def test_sections_described_only_by_model_toml_are_checked_against_it(tmp_path: Path) -> None:
    """Sections the schema does not describe (added to model.toml later) are checked
    against the shipped file: known keys, the same kinds of values, finite numbers."""
    import tomllib

    from svc_cli.config import KNOWN_INDICATORS, default_config_text
    from svc_cli.config_schema import validate

    shipped = tomllib.loads(default_config_text())
    shipped["future"] = {
        "size": 3,
        "on": True,
        "levels": {"a": {"x": 1.0}, "b": {"x": 2.0}},
        "costs": {},  # an open map: any keys, finite numbers
    }

    def check(section: dict[str, Any]) -> None:
        validate({**shipped, "future": section}, "f.toml", KNOWN_INDICATORS, shipped)

    check({"size": 4, "on": False, "levels": {"a": {"x": 1.0}, "c": {"x": 0.5}}})  # new member
    check({"costs": {"anything": 2}})
    for section, message in [
        ({"sise": 4}, "future.sise: unknown key"),
        ({"size": float("nan")}, "future.size: must be a finite number"),
        ({"on": "yes"}, "future.on: must be true or false"),
        ({"levels": {"c": {"y": 1.0}}}, "future.levels.c.y: unknown key"),
        ({"costs": {"anything": float("inf")}}, "future.costs.anything: must be a finite"),
    ]:
        with pytest.raises(ConfigError) as caught:
            check(section)
        assert message in caught.value.message
