"""The build: incremental writes equal to a clean build, what is kept between builds, memory."""
