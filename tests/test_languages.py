"""An article's language: the tags inputs give, read as stored; detection from short texts in the
languages readers of world affairs read; direction and names for pages."""

import pytest

from articles import languages

# Headline-sized texts, written for this test (none of them is in py3langid's training data).
SHORT_TEXTS = {
    "en": ["Ministers agree to extend the grain deal for another year",
           "Opposition leaders reject the proposed constitutional reform"],
    "ru": ["Министры договорились продлить зерновое соглашение ещё на год",
           "Цены на нефть упали после объявления о перемирии"],
    "uk": ["Міністри домовилися продовжити зернову угоду ще на рік",
           "Президент відвідає три країни наступного тижня"],
    "zh": ["部长们同意将粮食协议延长一年", "中国与越南签署新的贸易协议"],
    "ja": ["閣僚らは穀物合意をさらに1年延長することで合意した", "停戦発表後に原油価格が下落した"],
    "ko": ["장관들은 곡물 협정을 1년 더 연장하기로 합의했다", "휴전 발표 이후 유가가 하락했다"],
    "ar": ["الوزراء يتفقون على تمديد اتفاق الحبوب لعام آخر", "السعودية وإيران توقعان اتفاقا جديدا للتجارة"],
    "fa": ["بانک مرکزی برای مهار تورم نرخ بهره را افزایش داد", "قیمت نفت پس از اعلام آتش‌بس کاهش یافت"],
    "he": ["השרים הסכימו להאריך את הסכם התבואה בשנה נוספת", "מחירי הנפט ירדו לאחר הכרזת הפסקת האש"],
    "ur": ["مرکزی بینک نے مہنگائی روکنے کے لیے شرح سود بڑھا دی", "صدر اگلے ہفتے تین ممالک کا دورہ کریں گے"],
    "fr": ["Les négociations sur le différend frontalier sont de nouveau bloquées",
           "L'Algérie et le Maroc signent un nouvel accord commercial"],
    "es": ["Las negociaciones sobre la disputa fronteriza se estancaron de nuevo",
           "México y Colombia firman un nuevo acuerdo comercial"],
    "pt": ["Os ministros concordam em prorrogar o acordo de grãos por mais um ano",
           "A seca ameaça as colheitas de toda a região neste verão"],
    "de": ["Die Verhandlungen über den Grenzstreit sind erneut ins Stocken geraten",
           "Deutschland und Polen unterzeichnen ein neues Handelsabkommen"],
    "it": ["La banca centrale alza i tassi per frenare l'inflazione",
           "Il presidente visiterà tre paesi la prossima settimana"],
    "tr": ["Merkez bankası enflasyonu frenlemek için faizleri artırdı",
           "Kuraklık bu yaz tüm bölgedeki hasadı tehdit ediyor"],
}


@pytest.mark.parametrize("language", SHORT_TEXTS)
def test_a_headline_is_enough_to_tell_its_language(language):
    for text in SHORT_TEXTS[language]:
        assert languages.detect(text) == language, text


def test_a_text_with_no_words_is_in_the_sites_language():
    assert languages.detect("2026-11-28", "https://example.org/", "") == "en"


@pytest.mark.parametrize("given,stored", [
    ("ru", "ru"), ("RU", "ru"), ("en-us", "en-US"), ("en_GB", "en-GB"), ("zh-hant-tw", "zh-Hant-TW"),
    ("pt-BR", "pt-BR"), ("es-419", "es-419"), ("iw", "he"), ("ar-EG", "ar-EG"), (" fr ", "fr"),
    ("de-DE-1996", "de-DE"),
])
def test_a_language_tag_is_stored_in_one_spelling(given, stored):
    assert languages.normalize(given) == stored


@pytest.mark.parametrize("given", ["", "English", "und", "zxx", "x-klingon", "qq", "12", "en us", "<script>", None])
def test_what_names_no_language_is_not_a_tag(given):
    assert languages.normalize(given) is None


@pytest.mark.parametrize("tag,right_to_left", [
    ("ar", True), ("fa", True), ("he", True), ("ur", True), ("ps", True), ("yi", True), ("ar-EG", True),
    ("en", False), ("ru", False), ("zh-Hant", False), ("ja", False),
])
def test_arabic_persian_hebrew_and_urdu_are_written_right_to_left(tag, right_to_left):
    assert languages.is_right_to_left(tag) is right_to_left


def test_a_language_is_named_in_the_sites_language():
    assert languages.name("ru") == "Russian"
    assert languages.name("zh-Hant") == "Chinese (Traditional)"
    assert languages.name("pt-BR") == "Portuguese (Brazil)"
