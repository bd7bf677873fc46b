"""Language selection: Chinese (zh-hans) unless the user chose English with the switch.

Django's LocaleMiddleware also follows the browser's Accept-Language, which would show English to
every officer whose browser happens to be set up in English. Here only the language cookie written
by ``set_language`` (the switch in the header) can change the default ``LANGUAGE_CODE``.
"""

import contextlib

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        language = settings.LANGUAGE_CODE
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            with contextlib.suppress(LookupError):
                language = translation.get_supported_language_variant(chosen)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
