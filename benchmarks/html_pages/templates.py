"""Page templates of the HTML extraction benchmark: the furniture of real news sites.

Each template renders one article of :mod:`articles` into a whole page with the kinds of
furniture real sites have (menus, cookie banners, share bars, bylines, "related stories"
lists, comments, newsletter boxes, footers, JSON-LD, Open Graph tags); only the article's
paragraphs and subheadings are its gold body text.
"""
from __future__ import annotations

import json
from html import escape

__all__ = ["TEMPLATES", "render"]

_WORDS = {
    "en": dict(home="Home", sections=["World", "Politics", "Business", "Science", "Culture",
                                      "Opinion", "Sport"], related="Related stories",
               share="Share this article", read="Read more", by="By", comments="Comments",
               cookie="We use cookies to personalise content and ads and to analyse our "
                      "traffic. By continuing to browse you agree to our use of cookies.",
               accept="Accept all cookies", newsletter="Get our morning briefing in your "
                      "inbox every weekday", subscribe="Subscribe", rights="All rights reserved.",
               popular="Most read", tags="Tags", about="About us", contact="Contact",
               privacy="Privacy policy", terms="Terms of use", ad="Advertisement",
               comment_texts=["I have been saying this for years and nobody listened to me.",
                              "Great reporting, but the headline is misleading in my view.",
                              "Does anyone know where the full figures were published?"]),
    "zh": dict(home="首页", sections=["国内", "国际", "财经", "科技", "文化", "评论", "体育"],
               related="相关新闻", share="分享到：微博 微信", read="阅读全文", by="记者",
               comments="网友评论", cookie="本网站使用Cookie以改善您的浏览体验，继续浏览即表示您同意。",
               accept="同意", newsletter="订阅每日新闻简报，第一时间获取要闻", subscribe="订阅",
               rights="版权所有，未经授权禁止转载。", popular="热点排行", tags="关键词",
               about="关于我们", contact="联系我们", privacy="隐私政策", terms="使用条款",
               ad="广告",
               comment_texts=["这篇报道写得很好，希望以后多多关注这方面的消息。",
                              "数据来源在哪里？能否公布完整的统计结果？",
                              "支持加强合作，期待更多成果。"]),
    "ru": dict(home="Главная", sections=["Политика", "Экономика", "Общество", "Наука",
                                         "Культура", "Спорт", "Мнения"],
               related="Читайте также", share="Поделиться", read="Читать далее",
               by="Автор:", comments="Комментарии",
               cookie="Мы используем файлы cookie, чтобы сайт работал удобнее. Продолжая "
                      "пользоваться сайтом, вы соглашаетесь с этим.",
               accept="Принять", newsletter="Подпишитесь на нашу рассылку и получайте главные "
                                            "новости дня", subscribe="Подписаться",
               rights="Все права защищены.", popular="Самое читаемое", tags="Теги",
               about="О редакции", contact="Контакты", privacy="Политика конфиденциальности",
               terms="Пользовательское соглашение", ad="Реклама",
               comment_texts=["Давно пора было этим заняться, посмотрим, что получится.",
                              "Хорошая статья, но цифры хотелось бы увидеть подробнее.",
                              "А где можно прочитать полный текст соглашения?"]),
}


def _body(paras, p_tag="p", h_tag="h2", inline_related=None):
    out = []
    for i, p in enumerate(paras):
        if p.startswith("## "):
            out.append(f"<{h_tag}>{escape(p[3:])}</{h_tag}>")
        else:
            out.append(f"<{p_tag}>{escape(p)}</{p_tag}>")
        if inline_related and i == 1:
            out.append(inline_related)
    return "\n".join(out)


def _head(a, w, *, jsonld=True, og=True):
    lang, outlet, title, author, date, _ = a
    tags = [f"<title>{escape(title)} | {escape(outlet)}</title>",
            '<meta charset="utf-8">', '<meta name="viewport" content="width=device-width">']
    if og:
        tags += [f'<meta property="og:title" content="{escape(title)}">',
                 f'<meta property="og:site_name" content="{escape(outlet)}">',
                 f'<meta property="og:url" content="https://news.example/{date}/story">',
                 f'<meta property="article:published_time" content="{date}T08:30:00+00:00">',
                 f'<meta name="author" content="{escape(author)}">']
    if jsonld:
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                "datePublished": f"{date}T08:30:00Z", "inLanguage": lang,
                "author": {"@type": "Person", "name": author},
                "publisher": {"@type": "Organization", "name": outlet}}
        tags.append('<script type="application/ld+json">'
                    f"{json.dumps(data, ensure_ascii=False)}</script>")
    tags.append("<script>window.dataLayer=[];function track(){return 1;}</script>"
                "<style>body{font-family:sans-serif}.ad{height:250px}</style>")
    return "<head>" + "\n".join(tags) + "</head>"


def _menu(w):
    links = "".join(f'<li><a href="/{i}">{s}</a></li>' for i, s in enumerate(w["sections"]))
    return f'<nav class="main-menu"><ul><li><a href="/">{w["home"]}</a></li>{links}</ul></nav>'


def _related(w, others, tag="aside"):
    items = "".join(f'<li><a href="/s/{i}">{escape(t)}</a></li>' for i, t in enumerate(others))
    return f'<{tag} class="related"><h3>{w["related"]}</h3><ul>{items}</ul></{tag}>'


def _footer(w, outlet):
    return (f'<footer><div class="links"><a href="/about">{w["about"]}</a> '
            f'<a href="/contact">{w["contact"]}</a> <a href="/privacy">{w["privacy"]}</a> '
            f'<a href="/terms">{w["terms"]}</a></div><p>© 2026 {escape(outlet)}. '
            f'{w["rights"]}</p></footer>')


def _comments(w):
    items = "".join(f'<div class="comment"><span class="user">reader{i}</span><p>{c}</p></div>'
                    for i, c in enumerate(w["comment_texts"]))
    return f'<section id="comments"><h3>{w["comments"]} (3)</h3>{items}</section>'


def t_classic(a, others):
    """Article element, header menu, cookie banner, related aside, footer."""
    lang, outlet, title, author, date, paras = a
    w = _WORDS[lang]
    return f"""<!DOCTYPE html><html lang="{lang}">{_head(a, w)}<body>
<div id="cookie-banner"><p>{w["cookie"]}</p><button>{w["accept"]}</button></div>
<header><div class="logo">{escape(outlet)}</div>{_menu(w)}</header>
<main><article><h1>{escape(title)}</h1>
<div class="byline">{w["by"]} {escape(author)} | {date}</div>
<div class="article-body">{_body(paras)}</div></article>
{_related(w, others)}</main>{_footer(w, outlet)}</body></html>"""


def t_divsoup(a, others):
    """No semantic elements: nested divs with class names, share bar, sidebar."""
    lang, outlet, title, author, date, paras = a
    w = _WORDS[lang]
    share = f'<div class="share-bar">{w["share"]}: <a>Facebook</a> <a>X</a> <a>Email</a></div>'
    side = "".join(f'<div class="item"><a href="/p/{i}">{escape(t)}</a></div>'
                   for i, t in enumerate(others))
    return f"""<html>{_head(a, w, jsonld=False)}<body><div id="wrapper">
<div class="top">{_menu(w)}</div><div class="row"><div class="col-main">
<div class="headline"><h1>{escape(title)}</h1></div>{share}
<div class="meta"><span class="author">{escape(author)}</span> <span class="date">{date}</span></div>
<div class="story-content">{_body(paras)}</div>{share}</div>
<div class="col-side"><div class="widget"><div class="widget-title">{w["popular"]}</div>{side}</div>
<div class="ad">{w["ad"]}</div></div></div>{_footer(w, outlet)}</div></body></html>"""


def t_comments(a, others):
    """A blog-like page with a comment section and a newsletter box."""
    lang, outlet, title, author, date, paras = a
    w = _WORDS[lang]
    return f"""<html>{_head(a, w)}<body>{_menu(w)}
<div class="post"><h1 class="entry-title">{escape(title)}</h1>
<p class="post-meta">{w["by"]} <a rel="author">{escape(author)}</a>, {date}</p>
<div class="entry-content">{_body(paras)}</div>
<div class="newsletter"><h4>{w["newsletter"]}</h4><form><input type="email"><button>{w["subscribe"]}</button></form></div>
<div class="tags">{w["tags"]}: <a>{w["sections"][0]}</a>, <a>{w["sections"][2]}</a></div></div>
{_comments(w)}{_related(w, others, "div")}{_footer(w, outlet)}</body></html>"""


def t_aspnet(a, others):
    """The whole page inside one <form> (ASP.NET style) with a table layout."""
    lang, outlet, title, author, date, paras = a
    w = _WORDS[lang]
    cells = "".join(f"<tr><td><a href='/n/{i}'>{escape(t)}</a></td></tr>"
                    for i, t in enumerate(others))
    return f"""<html>{_head(a, w, jsonld=False, og=True)}<body><form id="aspnetForm" method="post">
<table class="layout"><tr><td colspan="2">{_menu(w)}</td></tr><tr><td class="content">
<h1>{escape(title)}</h1><p class="info">{date} {escape(author)}</p>
<div id="ctl00_body">{_body(paras)}</div></td>
<td class="side"><table><tr><th>{w["popular"]}</th></tr>{cells}</table></td></tr>
<tr><td colspan="2">{_footer(w, outlet)}</td></tr></table></form></body></html>"""


def t_inline_promos(a, others):
    """Promotions and an advertisement inside the article body."""
    lang, outlet, title, author, date, paras = a
    w = _WORDS[lang]
    promo = (f'<div class="inline-promo"><strong>{w["read"]}:</strong> '
             f'<a href="/x">{escape(others[0])}</a></div><div class="ad">{w["ad"]}</div>')
    return f"""<html>{_head(a, w)}<body><header>{_menu(w)}</header>
<article class="story"><header><h1>{escape(title)}</h1>
<address>{w["by"]} {escape(author)}</address><time datetime="{date}">{date}</time></header>
<section class="body">{_body(paras, inline_related=promo)}</section>
<div class="share">{w["share"]}</div></article>{_related(w, others[1:])}
{_footer(w, outlet)}</body></html>"""


def t_breadcrumbs(a, others):
    """Breadcrumbs, a standfirst-free layout, a 'most read' ordered list, long footer."""
    lang, outlet, title, author, date, paras = a
    w = _WORDS[lang]
    most = "".join(f"<li>{escape(t)}</li>" for t in others)
    foot_cols = "".join(f"<div class='col'><h5>{s}</h5><a>{w['sections'][0]}</a>"
                        f"<a>{w['sections'][1]}</a></div>" for s in w["sections"][:4])
    return f"""<html>{_head(a, w)}<body><div class="breadcrumbs"><a>{w["home"]}</a> &gt;
<a>{w["sections"][1]}</a></div>{_menu(w)}<div id="content"><div class="article">
<h1>{escape(title)}</h1><div class="author-box"><img alt=""><span>{escape(author)}</span></div>
<div class="text">{_body(paras, h_tag="h3")}</div></div>
<div class="most-read"><h2>{w["popular"]}</h2><ol>{most}</ol></div></div>
<footer>{foot_cols}<p>© 2026 {escape(outlet)}. {w["rights"]}</p></footer></body></html>"""


def t_amp(a, others):
    """A stripped mobile (AMP-like) page: few containers, related links after the text."""
    lang, outlet, title, author, date, paras = a
    w = _WORDS[lang]
    links = "".join(f'<p><a href="/m/{i}">{escape(t)}</a></p>' for i, t in enumerate(others))
    return f"""<html amp>{_head(a, w)}<body><div class="amp-header">{escape(outlet)}</div>
<h1>{escape(title)}</h1><div class="amp-byline">{escape(author)} · {date}</div>
<div class="amp-article">{_body(paras)}</div><div class="amp-related"><h4>{w["related"]}</h4>
{links}</div><div class="amp-footer">© 2026 {escape(outlet)}</div></body></html>"""


def t_state_portal(a, others):
    """A portal layout as on many state-media sites: editor line, print/close links."""
    lang, outlet, title, author, date, paras = a
    w = _WORDS[lang]
    editor = {"zh": "【责任编辑：赵磊】", "ru": "Редактор: Павел Орлов", "en": "Editor: Paul Orr"}
    tools = {"zh": "【打印】【关闭窗口】", "ru": "Версия для печати", "en": "Print | Close window"}
    items = "".join(f"<li><a>{escape(t)}</a><span>{date}</span></li>" for t in others)
    return f"""<html>{_head(a, w, jsonld=False)}<body><div class="topbar">{_menu(w)}</div>
<div class="main"><div class="title"><h1>{escape(title)}</h1></div>
<div class="info">{date} 08:30 &nbsp; {escape(outlet)} &nbsp; {escape(author)}</div>
<div id="detail">{_body(paras)}</div><div class="editor">{editor[lang]}</div>
<div class="tools">{tools[lang]}</div><div class="share">{w["share"]}</div>
<div class="list"><h3>{w["related"]}</h3><ul>{items}</ul></div></div>
{_footer(w, outlet)}</body></html>"""


def t_liveblog_sidebar(a, others):
    """Main article next to a long sidebar of teasers with summaries (prose-like)."""
    lang, outlet, title, author, date, paras = a
    w = _WORDS[lang]
    teasers = "".join(f'<div class="teaser"><h4>{escape(t)}</h4><p>{escape(t)}; '
                      f'{w["read"]} …</p></div>' for t in others)
    return f"""<html>{_head(a, w)}<body>{_menu(w)}<div class="grid">
<div class="primary"><h1>{escape(title)}</h1><p class="dateline">{date}</p>
<div class="article__body">{_body(paras)}</div>
<p class="article__author">{w["by"]} {escape(author)}</p></div>
<div class="secondary">{teasers}</div></div><div class="cookie-notice">{w["cookie"]}
<a>{w["accept"]}</a></div>{_footer(w, outlet)}</body></html>"""


def t_figure(a, others):
    """An article with a lead image and caption, a subscribe wall note and a comments
    teaser."""
    lang, outlet, title, author, date, paras = a
    w = _WORDS[lang]
    return f"""<html>{_head(a, w)}<body><header>{_menu(w)}</header><main>
<article><h1>{escape(title)}</h1><figure><img src="x.jpg" alt=""><figcaption>{escape(outlet)}
/ {escape(author)}</figcaption></figure><p class="byline">{w["by"]} {escape(author)}</p>
<div itemprop="articleBody">{_body(paras)}</div>
<div class="paywall-note">{w["newsletter"]}. <a>{w["subscribe"]}</a></div>
<a class="comments-link">{w["comments"]} (12)</a></article>{_related(w, others)}</main>
{_footer(w, outlet)}</body></html>"""


TEMPLATES = [t_classic, t_divsoup, t_comments, t_aspnet, t_inline_promos, t_breadcrumbs,
             t_amp, t_state_portal, t_liveblog_sidebar, t_figure]


def render(index: int, articles) -> tuple[str, str]:
    """The page of article ``index`` (template chosen by index) and its gold body text."""
    a = articles[index]
    same_lang = [b[2] for b in articles if b[0] == a[0] and b is not a]
    others = (same_lang * 2)[index % max(1, len(same_lang)):][:5]
    html = TEMPLATES[index % len(TEMPLATES)](a, others)
    gold = "\n".join(p[3:] if p.startswith("## ") else p for p in a[5])
    return html, gold
