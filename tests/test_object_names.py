"""OSB GUIDs become Service Catalog object names as GenerateEscapedName does."""
import pytest

from fixtures.platform.catalog.names import object_name_for_guid


@pytest.mark.parametrize(
    "guid, name",
    [
        ("4f6e6cf6-ffdd-425f-a2c7-3c9258ad2468", "4f6e6cf6-ffdd-425f-a2c7-3c9258ad2468"),
        ("Foo_Bar", "z46zooz5fzz42zar"),  # upper case, '_' and 'z' itself are escaped
        ("zone", "z7azone"),
        ("-a", "z2dza"),  # '-' may not start a name
        ("a.-b", "a.z2dzb"),  # '-' after '.'
        ("a..b", "a.z2ezb"),  # '.' after '.'
        ("a.", "az2ez"),  # '.' may not end a name
    ],
)
def test_escaping(guid, name):
    assert object_name_for_guid(guid) == name


def test_long_names_are_cut_and_hashed():
    name = object_name_for_guid("a" * 70)
    assert len(name) == 30 + 1 + 32
    assert name.startswith("a" * 30 + "-")
