"""The trade-mark register index (``ipshield marks register``) and the merged mark search."""

from __future__ import annotations

import random

import pytest
from django.core.management import CommandError, call_command

from ipshield.monitoring import register
from tests.monitoring.factories import WatchMarkFactory

POOL = "天地人和美好中华金龙凤山水花月星光明宝乐福源泉香味鲜家佳嘉健力达通安泰丰盛隆昌兴发富贵新"


def _register_csv(path, extra=()):
    rng = random.Random(5)
    rows = ["registration_number,name,classes"]
    for n in range(3000):
        name = "".join(rng.choice(POOL) for _ in range(rng.randint(2, 4)))
        rows.append(f"{10000000 + n},{name},{rng.randint(1, 45)}")
    rows.extend(extra)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_the_register_is_built_from_csv_and_searched_with_the_platform(world, tmp_path, login):
    csv_file = _register_csv(tmp_path / "register.csv", ["G1234567,康师傅,29;30", "G7654321,雪碧,"])
    call_command("marks", "register", str(csv_file))
    assert register.register_path().is_file()
    WatchMarkFactory(name="康帅傅", unit=world.market, added_by=world.officer)
    hits = register.search("康帅傅", k=5)
    assert (hits[0].source, hits[0].name) == ("mark", "康帅傅")  # identical first
    from_register = [h for h in hits if h.source == "register"]
    assert from_register[0].name == "康师傅" and from_register[0].reference == "G1234567"
    # classes filter the register too; a mark without classes is in all of them
    assert not [h for h in register.search("康帅傅", classes=[25]) if h.name == "康师傅"]
    drinks = [h.name for h in register.search("雷碧", classes=[32]) if h.source == "register"]
    assert drinks[:1] == ["雪碧"]
    body = login(world.officer).get("/api/v1/marks/search", {"q": "雷碧"}).json()
    assert body[0]["source"] == "register" and body[0]["reference"] == "G7654321"


def test_a_rebuilt_register_replaces_the_old_one(world, tmp_path):
    call_command("marks", "register", str(_register_csv(tmp_path / "a.csv", ["A1,奥利奥,30"])))
    assert register.search("粤利粤")[0].name == "奥利奥"
    call_command("marks", "register", str(_register_csv(tmp_path / "b.csv", ["B1,大白兔,30"])))
    assert register.search("大白免")[0].reference == "B1"
    assert not [h for h in register.search("粤利粤") if h.name == "奥利奥"]


@pytest.mark.parametrize(
    ("content", "words"),
    [("id,title\n1,x\n", "缺少列"), ("registration_number,name,classes\n1,雪碧,99\n", "第 2 行")],
)
def test_bad_register_files_are_refused_and_nothing_is_written(tmp_path, content, words):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=words):
        call_command("marks", "register", str(path))
    assert not register.register_path().exists()


def test_a_register_file_from_an_older_version_is_left_out_with_a_notice(world, login):
    # An index saved under an earlier format (or damaged) must not break the search page.
    path = register.register_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    header = b'{"format": "ipshield.marks.index/2", "count": 0}'
    path.write_bytes(b"IPSHIELD-MARKS\n\x00" + len(header).to_bytes(8, "little") + header)
    WatchMarkFactory(name="康帅傅", unit=world.market, added_by=world.officer)
    assert register.register_index() is None
    assert "ipshield marks register" in register.register_problem()
    assert [h.source for h in register.search("康帅傅")] == ["mark"]
    page = login(world.officer).get("/monitoring/search/", {"q": "康帅傅"})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="register-problem"' in text and "康帅傅" in text
    path.unlink()
    assert register.register_problem() is None
