"""The parts of the main window, one concern per module.

``views`` lists the sidebar views, ``menus`` the menu bar, ``project_files`` opening,
saving and recovering projects, ``importing`` article imports, ``analysis_runs`` the
analysis task. :class:`sinoru_desktop.main_window.MainWindow` puts them together.
"""
