from ninja import NinjaAPI

api = NinjaAPI(title="smeplan API", version="1", urls_namespace="api")
