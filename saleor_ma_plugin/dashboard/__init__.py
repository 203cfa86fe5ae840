"""The admin app in the Saleor Dashboard: serving its build, its App manifest, widget figures.

The app itself lives in ``dashboard_extension/`` (React); its build ships in the wheel as
``saleor_ma_plugin/dashboard/app/``. Saleor serves it under the plugin route, the standalone
host at ``/dashboard/``. Nothing here imports the API: the app calls the GraphQL endpoint
like any client.
"""
