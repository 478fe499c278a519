/* test_webdav.c - sc_webdav: a 207 Multi-Status as servers really send it. */

#include <string.h>

#include <apr_strings.h>

#include "sc_unit.h"
#include "sc_webdav.h"

#define P sc_test_pool
#define ITEM(a, i) APR_ARRAY_IDX((a), (i), sc_storage_item_t *)

static sc_storage_status_e parse(const char *xml, const char *folder,
                                 apr_array_header_t **items, int *self)
{
    return sc_webdav_parse_listing(P, xml, strlen(xml), folder, 100, items, self);
}

/* mod_dav style: D: prefix, absolute paths, the folder itself not first */
static const char mod_dav[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<D:multistatus xmlns:D=\"DAV:\" xmlns:ns0=\"DAV:\">"
    "<D:response><D:href>/dav/Docs/notes%20%25%23%3F%26%22%27.txt</D:href>"
    "<D:propstat><D:prop><D:resourcetype/><D:getcontentlength>1234</D:getcontentlength>"
    "<D:getcontenttype>text/plain</D:getcontenttype></D:prop>"
    "<D:status>HTTP/1.1 200 OK</D:status></D:propstat>"
    "<D:propstat><D:prop><D:displayname/></D:prop>"
    "<D:status>HTTP/1.1 404 Not Found</D:status></D:propstat></D:response>"
    "<D:response><D:href>/dav/Docs/</D:href><D:propstat><D:prop>"
    "<D:resourcetype><D:collection/></D:resourcetype></D:prop>"
    "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
    "<D:response><D:href>/dav/Docs/Sub%20folder/</D:href><D:propstat><D:prop>"
    "<D:resourcetype><D:collection/></D:resourcetype></D:prop>"
    "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
    "<D:response><D:href>/dav/Docs/%C3%A9t%C3%A9.txt</D:href><D:propstat><D:prop>"
    "<D:resourcetype/><D:getcontentlength>7</D:getcontentlength></D:prop>"
    "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
    "<D:response><D:href>/dav/Docs/bad%FFname</D:href><D:propstat><D:prop>"
    "<D:resourcetype/></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
    "</D:multistatus>";

START_TEST(apache_mod_dav)
{
    apr_array_header_t *items = NULL;
    int self = 0;

    ck_assert_int_eq(parse(mod_dav, "/dav/Docs/", &items, &self), SC_STORAGE_OK);
    ck_assert_int_eq(self, 1);
    /* in the server's order: the listing (sc_listing.c) sorts */
    ck_assert_int_eq(items->nelts, 4);
    ck_assert(ITEM(items, 1)->is_folder);
    ck_assert_str_eq(ITEM(items, 1)->name, "Sub folder");
    ck_assert_str_eq(ITEM(items, 1)->id, "/dav/Docs/Sub folder/");
    ck_assert_str_eq(ITEM(items, 3)->name, "bad\xef\xbf\xbdname");
    ck_assert_str_eq(ITEM(items, 0)->name, "notes %#?&\"'.txt");
    ck_assert_str_eq(ITEM(items, 0)->id, "/dav/Docs/notes %#?&\"'.txt");
    ck_assert_int_eq(ITEM(items, 0)->size, 1234);
    ck_assert_str_eq(ITEM(items, 0)->mime_type, "text/plain");
    ck_assert_str_eq(ITEM(items, 2)->name, "\xc3\xa9t\xc3\xa9.txt");
    ck_assert_int_eq(ITEM(items, 2)->size, 7);
    /* the folder asked for without its slash is the same folder */
    ck_assert_int_eq(parse(mod_dav, "/dav/Docs", &items, &self), SC_STORAGE_BAD_REPLY);
}
END_TEST

/* rclone / Nextcloud style: d: or default namespace, full URLs */
START_TEST(full_urls_any_prefix)
{
    static const char xml[] =
        "<?xml version=\"1.0\"?><multistatus xmlns=\"DAV:\">"
        "<response><href>http://127.0.0.1:8080/</href><propstat><prop>"
        "<resourcetype><collection/></resourcetype></prop>"
        "<status>HTTP/1.1 200 OK</status></propstat></response>"
        "<response><href>http://127.0.0.1:8080/a.txt</href><propstat><prop>"
        "<resourcetype></resourcetype><getcontentlength>5</getcontentlength></prop>"
        "<status>HTTP/1.1 200 OK</status></propstat></response>"
        "</multistatus>";
    static const char xml2[] =
        "<x:multistatus xmlns:x=\"DAV:\" xmlns:oc=\"http://owncloud.org/ns\">"
        "<x:response><x:href>/remote.php/dav/files/u/</x:href><x:propstat><x:prop>"
        "<x:resourcetype><x:collection/></x:resourcetype></x:prop>"
        "<x:status>HTTP/1.1 200 OK</x:status></x:propstat></x:response>"
        "<x:response><x:href>/remote.php/dav/files/u/Photos/</x:href><x:propstat><x:prop>"
        "<x:resourcetype><x:collection/><oc:shared/></x:resourcetype></x:prop>"
        "<x:status>HTTP/1.1 200 OK</x:status></x:propstat></x:response>"
        "</x:multistatus>";
    apr_array_header_t *items = NULL;
    int self = 0;

    ck_assert_int_eq(parse(xml, "/", &items, &self), SC_STORAGE_OK);
    ck_assert_int_eq(self, 1);
    ck_assert_int_eq(items->nelts, 1);
    ck_assert_str_eq(ITEM(items, 0)->id, "/a.txt");
    ck_assert_int_eq(ITEM(items, 0)->size, 5);
    ck_assert_int_eq(parse(xml2, "/remote.php/dav/files/u/", &items, &self), SC_STORAGE_OK);
    ck_assert_int_eq(items->nelts, 1);
    ck_assert(ITEM(items, 0)->is_folder);
    ck_assert_str_eq(ITEM(items, 0)->name, "Photos");
}
END_TEST

START_TEST(refused)
{
    apr_array_header_t *items = NULL;
    char *many = "<D:multistatus xmlns:D=\"DAV:\">";
    int i;

    /* not XML, not a multistatus, cut short, an entry from elsewhere */
    ck_assert_int_eq(parse("<html>500</html>", "/", &items, NULL), SC_STORAGE_BAD_REPLY);
    ck_assert_int_eq(parse("not xml at all", "/", &items, NULL), SC_STORAGE_BAD_REPLY);
    ck_assert_int_eq(parse("<multistatus xmlns=\"urn:other\"/>", "/", &items, NULL),
                     SC_STORAGE_BAD_REPLY);
    ck_assert_int_eq(parse("<D:multistatus xmlns:D=\"DAV:\"><D:response>", "/", &items, NULL),
                     SC_STORAGE_BAD_REPLY);
    ck_assert_int_eq(parse("<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/etc/x"
                           "</D:href></D:response></D:multistatus>", "/dav/", &items, NULL),
                     SC_STORAGE_BAD_REPLY);
    ck_assert_int_eq(parse("<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/dav/a/b"
                           "</D:href></D:response></D:multistatus>", "/dav/", &items, NULL),
                     SC_STORAGE_BAD_REPLY);
    /* names that would climb out of the folder when asked for */
    ck_assert_int_eq(parse("<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/dav/%2E%2E/"
                           "</D:href></D:response></D:multistatus>", "/dav/", &items, NULL),
                     SC_STORAGE_BAD_REPLY);
    ck_assert_int_eq(parse("<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/dav/."
                           "</D:href></D:response></D:multistatus>", "/dav/", &items, NULL),
                     SC_STORAGE_BAD_REPLY);
    ck_assert_ptr_null(items);
    /* a name that decodes to a slash is left out, not misread */
    ck_assert_int_eq(parse("<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/dav/a%2Fb"
                           "</D:href></D:response></D:multistatus>", "/dav/", &items, NULL),
                     SC_STORAGE_OK);
    ck_assert_int_eq(items->nelts, 0);
    /* more entries than allowed */
    for (i = 0; i < 101; i++) {
        many = apr_psprintf(P, "%s<D:response><D:href>/f%d</D:href></D:response>", many, i);
    }
    many = apr_pstrcat(P, many, "</D:multistatus>", NULL);
    ck_assert_int_eq(parse(many, "/", &items, NULL), SC_STORAGE_BAD_REPLY);
}
END_TEST

SC_UNIT_SUITE(sc_webdav_suite)

Suite *sc_webdav_suite(void)
{
    Suite *s = suite_create("webdav");
    TCase *tc = sc_tcase("webdav");

    tcase_add_test(tc, apache_mod_dav);
    tcase_add_test(tc, full_urls_any_prefix);
    tcase_add_test(tc, refused);
    suite_add_tcase(s, tc);
    return s;
}
