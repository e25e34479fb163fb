"""Word lists behind the cue features, kept apart from the logic that counts them.

Cues are single lower-case tokens (after punctuation is turned into spaces), so one dictionary
lookup per token classifies it; phrases would need a regex pass per cue, which is far slower.
"""
from __future__ import annotations

# Calls to action and page furniture: "read more", "share on", "sign in", "related", ...
CTA = frozenset("""
more read click view share subscribe subscribers newsletter login logout log sign register comment
comments reply replies cookie cookies privacy policy terms conditions advertisement advertising advert
advertise sponsored ad ads menu navigation related popular trending latest follow rights reserved skip
next previous prev back home search contact tags tag categories category print email e-mail
download watch listen video videos photos photo gallery continue sitemap archive archives account
cart checkout shop buy more› more» » add join sharing
weiterlesen mehr teilen anmelden abmelden registrieren suche startseite impressum datenschutz kontakt
abonnieren kommentieren drucken zurück weiter archiv kategorien schlagworte werbung anzeige
lire suite partager connexion inscription accueil rechercher recherche abonner abonnez imprimer retour
suivant précédent catégories publicité mentions
leer más compartir iniciar sesión registrarse inicio buscar contacto suscribirse suscríbete imprimir
volver siguiente anterior archivo categorías publicidad etiquetas
ler compartilhar partilhar entrar cadastre assine início pesquisar contato voltar próximo publicidade
leggi condividi accedi registrati cerca contatti iscriviti stampa indietro successivo precedente pubblicità
číst více sdílet přihlásit registrace hledat odebírat tisk zpět další předchozí reklama
czytaj więcej udostępnij zaloguj rejestracja szukaj subskrybuj drukuj wstecz następny poprzedni
lees meer delen inloggen registreren zoeken abonneren printen vorige volgende advertentie
читать далее подробнее поделиться войти вход регистрация поиск главная контакты подписаться подписка
печать назад следующая предыдущая реклама теги рубрики категории
阅读更多 查看更多 更多 阅读全文 查看全文 分享 分享到 登录 注册 首页 返回首页 返回顶部 搜索 联系我们 关于我们
广告 订阅 打印 收藏 上一篇 下一篇 上一页 下一页 网站地图 隐私政策 免责声明 标签
続きを読む もっと見る シェア ツイート ログイン ログアウト 新規登録 会員登録 ホーム トップ 検索 お問い合わせ 広告
購読 印刷 前へ 次へ 前の記事 次の記事 サイトマップ プライバシーポリシー 利用規約 タグ カテゴリー
더보기 공유 공유하기 로그인 로그아웃 회원가입 홈 검색 광고 구독 인쇄 이전 다음 목록 태그
المزيد اقرأ شارك مشاركة الرئيسية بحث اتصل إعلان اشترك طباعة الوسوم
devamı devamını paylaş kayıt anasayfa iletişim reklam abone yazdır önceki sonraki etiketler
selengkapnya bagikan masuk daftar beranda cari kontak iklan berlangganan cetak sebelumnya selanjutnya
पढ़ें शेयर लॉगिन होम खोजें संपर्क विज्ञापन सदस्यता
بیشتر اشتراک ورود جستجو تماس تبلیغات
""".split())
SOCIAL = frozenset("""
facebook twitter linkedin whatsapp pinterest instagram youtube tiktok reddit telegram rss
""".split())
MONTHS = frozenset("""
jan january feb february mar march apr april may jun june jul july aug august sep sept september
oct october nov november dec december mon monday tue tuesday wed wednesday thu thursday fri friday
sat saturday sun sunday ago am pm gmt utc bst est pst cet
janvier février mars avril mai juin juillet août septembre octobre novembre décembre
januar februar märz juni juli oktober dezember enero febrero marzo abril mayo junio julio agosto
septiembre octubre noviembre diciembre
janeiro fevereiro março maio junho julho setembro outubro novembro dezembro
gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre
ledna února března dubna května června července srpna září října listopadu prosince
stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia
januari februari maart mei augustus
января февраля марта апреля мая июня июля августа сентября октября ноября декабря
январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь
يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر
ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık
maret agustus desember tháng
जनवरी फ़रवरी फरवरी मार्च अप्रैल मई जून जुलाई अगस्त सितंबर अक्टूबर नवंबर दिसंबर
""".split())
URL = frozenset("http https www com org net html htm php aspx co uk".split())
LEGAL = frozenset("copyright © 版权所有 版权 著作権 저작권 무단전재 telif".split())
# Words of the heading over a comment section ("167 comments", "Leave a Reply", "Kommentare").
COMMENT = frozenset("""
comment comments reply replies responses discussion discuss kommentar kommentare commentaire
commentaires commento commenti comentario comentarios comentário comentários komentář komentáře
komentarz komentarze komentarzy reactie reacties reageer reageren
antworten répondre réponse réponses responder respuestas respostas rispondi risposte odpovědět
odpowiedz odpowiedzi antwoord antwoorden
комментарий комментарии комментариев комментария комментировать отзывы отзыв ответить
评论 发表评论 网友评论 评论区 回复 留言 コメント 返信 댓글 답글 تعليق تعليقات التعليقات
yorum yorumlar yanıtla komentar balas टिप्पणी टिप्पणियां نظرات دیدگاه
""".split())
# Words of the heading over a list of other stories ("Related articles", "You may also like",
# "Lesen Sie auch", "À lire aussi", "Você pode gostar", "Te puede interesar").
RELATED = frozenset("""
related popular trending latest recommended recommend suggested like also more top most
ähnliche weitere meistgelesen auch lire aussi populaires similaires recommandés también relacionados
relacionadas relacionado relacionada recomendados recomendadas gostar interesar interessar leia veja
mais anche correlati popolari související nejčtenější podobne
empfohlen empfehlungen beliebt beliebte neueste derniers dernières populares últimas últimos
ultimi ultime consigliati simili nejnovější doporučujeme podobné také popularne najnowsze polecane
też gerelateerd populair meest gelezen ook nieuwste aanbevolen
похожие популярные читайте также интересно свежие последние рекомендуем
相关 相关文章 相关新闻 相关阅读 推荐 推荐阅读 热门 热门文章 热门新闻 热点 最新 最新文章 猜你喜欢 延伸阅读
関連 関連記事 関連ニュース 人気 人気記事 おすすめ 新着 最新記事 관련 관련기사 인기 인기기사 추천 최신
صلة ilgili benzer popüler terkait populer terpopuler terbaru संबंधित लोकप्रिय مرتبط
""".split())

# Verbs that end a comment's author line before a colon ("joetoronto says:", "... at 8:50 pm said:").
# Matched as phrases at a line's end, not as token cues (hence "a écrit").
SAYING = ("says", "said", "wrote", "writes", "schrieb", "schreibt", "a écrit", "escribió", "escribe", "disse",
          "scrive", "napisał", "napsal", "zei", "schreef")

STOP_BIT, CTA_BIT, SOCIAL_BIT, MONTH_BIT, URL_BIT, LEGAL_BIT, COMMENT_BIT, RELATED_BIT = 1, 2, 4, 8, 16, 32, 64, 128
BITS = {"stop": STOP_BIT, "cta": CTA_BIT, "social": SOCIAL_BIT, "month": MONTH_BIT,
        "url": URL_BIT, "legal": LEGAL_BIT, "comment": COMMENT_BIT, "related": RELATED_BIT}


def codebook(stopwords: frozenset[str]) -> dict[str, int]:
    """token -> bit mask of the cue lists it belongs to."""
    book: dict[str, int] = {}
    for words, bit in ((stopwords, STOP_BIT), (CTA, CTA_BIT), (SOCIAL, SOCIAL_BIT),
                       (MONTHS, MONTH_BIT), (URL, URL_BIT), (LEGAL, LEGAL_BIT),
                       (COMMENT, COMMENT_BIT), (RELATED, RELATED_BIT)):
        for w in words:
            book[w] = book.get(w, 0) | bit
    return book
