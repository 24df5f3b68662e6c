// The worker lands here.
