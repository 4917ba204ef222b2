/* run_suite.h - every test binary ends the same way: run the suite, and
 * exit 0 if nothing failed. */
#ifndef CONGO_TEST_RUN_SUITE_H
#define CONGO_TEST_RUN_SUITE_H

#include <check.h>

static inline int run_suite(Suite *s)
{
        SRunner *sr = srunner_create(s);

        srunner_run_all(sr, CK_ENV);   /* CK_VERBOSITY=verbose: every test */
        int failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? 1 : 0;
}

#endif
