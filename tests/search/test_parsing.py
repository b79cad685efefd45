from forum.search.parsing import MAX_ITEMS, parse_query, parse_title


def test_a_word_matches_the_words_it_begins():
    assert parse_query("Sykefravær").tsquery == "'sykefravær':*"


def test_short_words_are_not_prefixes():
    assert parse_query("nav").tsquery == "'nav'"


def test_words_are_anded_phrases_kept_in_order_and_minus_excludes():
    parsed = parse_query('tolk "barn og unge" -aap -"helt feil"')
    assert parsed.tsquery == (
        "'tolk':* & ('barn' <-> 'og' <-> 'unge') & !'aap' & !('helt' <-> 'feil')"
    )


def test_or_binds_the_items_on_either_side():
    assert parse_query("hjelpemiddel OR tolk barn").tsquery == (
        "('hjelpemiddel':* | 'tolk':*) & 'barn':*"
    )


def test_the_bokmal_eller_offers_alternatives_as_or_does():
    expected = "('hjelpemiddel':* | 'tolk':*) & 'barn':*"
    for query in ("hjelpemiddel ELLER tolk barn", "hjelpemiddel eller tolk barn"):
        assert parse_query(query).tsquery == expected, query
    assert parse_query("dagpenger ELLER").tsquery == "'dagpenger':*"  # nothing to offer


def test_punctuation_never_reaches_the_tsquery():
    parsed = parse_query("&|!:*()'\"\\ sykefravær's <-> x:*")
    assert parsed.tsquery == "('sykefravær':* & 's') & 'x'"


def test_nothing_to_search_for_says_why():
    assert parse_query("").problem == "empty"
    assert parse_query("   ").problem == "empty"
    assert parse_query("a").problem == "too_short"
    assert parse_query("-sykefravær").problem == "only_excluded"
    assert parse_query("&|!:*()'\"\\").problem == "no_words"
    assert parse_query("\x00").problem == "empty"


def test_long_input_is_cut_not_refused():
    parsed = parse_query("sykefravær " * 500)
    assert parsed.is_searchable
    assert parsed.tsquery.count("sykefravær") == MAX_ITEMS


def test_a_typed_title_becomes_its_words_as_operands():
    title, words = parse_title("  Oppfølging av sykefravær?  ")
    assert title == "Oppfølging av sykefravær?"
    assert words == ["'oppfølging':*", "'av'", "'sykefravær':*"]
