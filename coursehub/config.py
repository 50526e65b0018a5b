"""Configuration defaults. create_app() layers instance/config.py and COURSEHUB_* on top."""


class Config:
    # Left empty on purpose: create_app() generates one into the instance folder.
    SECRET_KEY: str | None = None
    # Empty means SQLite in the instance folder.
    DATABASE_URL: str | None = None
    REDIS_URL: str | None = None
    # Where uploaded images live; empty means instance/uploads. Share it between hosts.
    UPLOAD_FOLDER: str | None = None

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # Werkzeug's default (scrypt); tests lower the cost, never production.
    PASSWORD_HASH_METHOD = "scrypt"
    SELF_REGISTRATION = True
    COURSE_CREATION = "anyone"  # or "admins"
    # True behind one reverse proxy that sets X-Forwarded-For/-Proto/-Host/-Port.
    PROXY_FIX = False

    # Origins allowed to frame CourseHub, e.g. "'self' https://canvas.example.edu".
    FRAME_ANCESTORS = "'self'"

    # Rate limits; COURSEHUB_RATELIMIT_ENABLED=false turns them off (benchmarks).
    # Storage is Redis when REDIS_URL is set, so limits hold across processes.
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down must not take the site down: count in memory until it is back.
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SIGN_IN = "10 per minute"
    RATELIMIT_REGISTER = "60 per hour"
    RATELIMIT_POSTING = "30 per minute"
    RATELIMIT_COMMENTING = "30 per minute"
    RATELIMIT_PREVIEW = "240 per minute"
    RATELIMIT_UPLOAD = "30 per minute"

    # Rendered comment threads: Redis when REDIS_URL is set (shared by every worker and
    # host), else each process keeps its own, at most CACHE_THRESHOLD of them. The key
    # prefix defaults to one derived from SECRET_KEY, so installs sharing a Redis never
    # see each other's entries.
    CACHE_TYPE: str | None = None
    CACHE_KEY_PREFIX: str | None = None
    CACHE_DEFAULT_TIMEOUT = 24 * 3600
    CACHE_THRESHOLD = 200

    API_PAGE_SIZE = 20
    API_MAX_PAGE_SIZE = 100
