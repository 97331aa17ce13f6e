"""A mixed-language corpus for the benchmarks (`BENCH_CORPUS=mixed`): half the articles are
corpus.py's English ones (its plain, undated shape), the other half in Russian, Chinese, Arabic, French, German, Spanish,
Portuguese and Japanese (one sixteenth each), in the same seed shape (a title line, four paragraphs, the publisher's
chrome), deterministic for a given N. Text files say no language: each is detected at import.

English keeps corpus.py's common and rare words; each language has its own common word (its
"government", in every article of it) and its own rare one (one article of it in a thousand)."""

import random

from . import corpus

LANGUAGES = {
    "ru": {
        "countries": ["Россия", "Китай", "Украина", "Германия", "Франция", "Индия", "Турция", "Иран"],
        "headlines": ["{a} и {b} сближаются", "{a} ищет поддержки у {b}", "Что значит поворот {a} для {b}"],
        "subjects": ["Министр иностранных дел", "Высокопоставленный дипломат", "Парламент", "Центральный банк"],
        "verbs": ["заявил, что", "предупредил, что", "признал, что", "сообщил, что"],
        "clauses": ["санкции будут расширены до лета", "переговоры о границе снова зашли в тупик",
                    "экспорт зерна возобновится", "соглашение требует ратификации осенью"],
        "common": "Правительство {a} встретилось с посланниками {b} во вторник.",
        "rare": "Соглашение о зорбулоне удивило наблюдателей.",
        "joiner": " ",
    },
    "zh": {
        "countries": ["俄罗斯", "中国", "乌克兰", "德国", "法国", "印度", "土耳其", "伊朗"],
        "headlines": ["{a}与{b}为何走近", "{a}向{b}示好", "{a}的转向对{b}意味着什么"],
        "subjects": ["外交部长", "一位高级外交官", "议会", "中央银行"],
        "verbs": ["表示", "警告说", "承认", "宣布"],
        "clauses": ["夏季前将扩大制裁", "边界争端谈判再次陷入僵局", "粮食出口将在新的担保下恢复", "条约需要在秋季前批准"],
        "common": "{a}政府周二会见了来自{b}的特使。",
        "rare": "佐布隆协议令观察人士感到意外。",
        "joiner": "",
    },
    "ar": {
        "countries": ["روسيا", "الصين", "أوكرانيا", "ألمانيا", "فرنسا", "الهند", "تركيا", "إيران"],
        "headlines": ["لماذا تتقارب {a} و{b}", "{a} تتودد إلى {b}", "ماذا يعني تحول {a} بالنسبة إلى {b}"],
        "subjects": ["وزير الخارجية", "دبلوماسي رفيع", "البرلمان", "البنك المركزي"],
        "verbs": ["قال إن", "حذر من أن", "أقر بأن", "أعلن أن"],
        "clauses": ["العقوبات ستتوسع قبل الصيف", "المحادثات بشأن الحدود تعثرت مجددا", "صادرات الحبوب ستستأنف",
                    "المعاهدة تتطلب المصادقة في الخريف"],
        "common": "التقت حكومة {a} مبعوثين من {b} يوم الثلاثاء.",
        "rare": "فاجأ اتفاق الزوربولون المراقبين.",
        "joiner": " ",
    },
    "fr": {
        "countries": ["la Russie", "la Chine", "l'Ukraine", "l'Allemagne", "la France", "l'Inde", "la Turquie", "l'Iran"],
        "headlines": ["Pourquoi {a} et {b} se rapprochent", "{a} courtise {b}", "Ce que le virage de {a} signifie pour {b}"],
        "subjects": ["Le ministre des affaires étrangères", "Un diplomate de haut rang", "Le parlement", "La banque centrale"],
        "verbs": ["a averti que", "a reconnu que", "a annoncé que", "a assuré que"],
        "clauses": ["les sanctions seraient élargies avant l'été", "les négociations sur la frontière étaient bloquées",
                    "les exportations de céréales reprendraient", "le traité devait être ratifié à l'automne"],
        "common": "Le gouvernement de {a} a reçu mardi des envoyés de {b}.",
        "rare": "L'accord zorbulonien a surpris les observateurs.",
        "joiner": " ",
    },
    "de": {
        "countries": ["Russland", "China", "die Ukraine", "Deutschland", "Frankreich", "Indien", "die Türkei", "Iran"],
        "headlines": ["Warum {a} und {b} zusammenrücken", "{a} umwirbt {b}", "Was die Wende in {a} für {b} bedeutet"],
        "subjects": ["Der Außenminister", "Ein hochrangiger Diplomat", "Das Parlament", "Die Zentralbank"],
        "verbs": ["warnte, dass", "räumte ein, dass", "kündigte an, dass", "betonte, dass"],
        "clauses": ["die Sanktionen vor dem Sommer ausgeweitet würden", "die Verhandlungen über die Grenze stockten",
                    "die Getreideexporte wieder aufgenommen würden", "das Abkommen im Herbst ratifiziert werden müsse"],
        "common": "Die Regierung in {a} empfing am Dienstag Gesandte aus {b}.",
        "rare": "Das Zorbulon-Abkommen überraschte Beobachter.",
        "joiner": " ",
    },
    "es": {
        "countries": ["Rusia", "China", "Ucrania", "Alemania", "Francia", "India", "Turquía", "Irán"],
        "headlines": ["Por qué {a} y {b} se acercan", "{a} corteja a {b}", "Qué significa el giro de {a} para {b}"],
        "subjects": ["El ministro de Exteriores", "Un alto diplomático", "El parlamento", "El banco central"],
        "verbs": ["advirtió que", "reconoció que", "anunció que", "aseguró que"],
        "clauses": ["las sanciones se ampliarían antes del verano", "las negociaciones sobre la frontera se estancaron",
                    "las exportaciones de grano se reanudarían", "el tratado debía ratificarse en otoño"],
        "common": "El gobierno de {a} recibió el martes a enviados de {b}.",
        "rare": "El acuerdo zorbuloniano sorprendió a los observadores.",
        "joiner": " ",
    },
    "pt": {
        "countries": ["Rússia", "China", "Ucrânia", "Alemanha", "França", "Índia", "Turquia", "Irã"],
        "headlines": ["Por que {a} e {b} se aproximam", "{a} corteja {b}", "O que a virada de {a} significa para {b}"],
        "subjects": ["O ministro das Relações Exteriores", "Um diplomata de alto escalão", "O parlamento", "O banco central"],
        "verbs": ["advertiu que", "reconheceu que", "anunciou que", "garantiu que"],
        "clauses": ["as sanções seriam ampliadas antes do verão", "as negociações sobre a fronteira emperraram",
                    "as exportações de grãos seriam retomadas", "o tratado precisava ser ratificado no outono"],
        "common": "O governo de {a} recebeu na terça-feira enviados de {b}.",
        "rare": "O acordo zorbuloniano surpreendeu os observadores.",
        "joiner": " ",
    },
    "ja": {
        "countries": ["ロシア", "中国", "ウクライナ", "ドイツ", "フランス", "インド", "トルコ", "イラン"],
        "headlines": ["{a}と{b}はなぜ接近するのか", "{a}が{b}に接近", "{a}の転換は{b}に何を意味するか"],
        "subjects": ["外相", "高官", "議会", "中央銀行"],
        "verbs": ["と述べた", "と警告した", "と認めた", "と発表した"],
        "clauses": ["制裁は夏までに拡大される", "国境をめぐる交渉は再び行き詰まった", "穀物輸出は再開される",
                    "条約は秋までに批准が必要だ"],
        "common": "{a}政府は火曜日に{b}の特使と会談した。",
        "rare": "ゾルブロン合意は観測筋を驚かせた。",
        "joiner": "",
    },
}
CODES = list(LANGUAGES)


def language_of(number: int) -> str:
    """Even numbers are English; odd ones go round the other languages."""
    return "en" if number % 2 == 0 else CODES[(number // 2) % len(CODES)]


def ordinal(number: int) -> int:
    """The article's number among those of its language."""
    return number // 2 if number % 2 == 0 else number // 2 // len(CODES)


def sentence(rng: random.Random, words: dict) -> str:
    subject, verb, clause = rng.choice(words["subjects"]), rng.choice(words["verbs"]), rng.choice(words["clauses"])
    if words["joiner"]:  # subject, verb, clause
        return f"{subject} {verb} {clause}."
    if verb.startswith("と"):  # Japanese: the clause before the verb of saying
        return f"{subject}は{clause}{verb}。"
    return f"{subject}{verb}，{clause}。"


def article_text(number: int, count: int) -> str:
    code = language_of(number)
    if code == "en":
        return corpus.plain_text(ordinal(number))  # its rare word in one in a thousand of them too
    words = LANGUAGES[code]
    rng = random.Random(number)
    a, b = rng.sample(words["countries"], 2)
    title = f"{rng.choice(words['headlines']).format(a=a, b=b)} ({number})"
    paragraphs = []
    for index in range(4):
        sentences = [sentence(rng, words) for _ in range(6)]
        if index == 0:
            sentences[0] = words["common"].format(a=a, b=b)
        if index == 2 and ordinal(number) % 1000 == 7:
            sentences[1] = words["rare"]
        paragraphs.append(words["joiner"].join(sentences))
    publisher = corpus.PUBLISHERS[number % len(corpus.PUBLISHERS)]
    return "\n\n".join([title, *paragraphs, corpus.CHROME.format(p=publisher)])
