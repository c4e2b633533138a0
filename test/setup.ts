// Ink renders only the final frame when CI is set (is-in-ci). Tests need every frame.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
