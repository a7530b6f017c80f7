/* Every unit test, in the order the runner runs them.  One line each. */
TEST_ENTRY(util_str)
