import pytest

from ..factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_script_injected_into_a_page_does_not_run(page):
    article = make_article(title="Policy Holds")
    page.goto(article.get_absolute_url())
    ran = page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.injectedRan = true';
        document.body.append(script);
        const img = document.createElement('img');
        img.setAttribute('onerror', 'window.handlerRan = true');
        img.src = 'data:,not-an-image';
        document.body.append(img);
        return new Promise(resolve => setTimeout(() => resolve([window.injectedRan, window.handlerRan]), 200));
    }""")
    assert ran == [None, None]
    assert page.locator("script[src$='htmx.min.js']").count() == 1  # our own script still loads
    assert page.evaluate("() => typeof htmx") == "object"
