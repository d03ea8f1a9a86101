/* pq-window-private.h: the window's fields and what its parts share
 *
 * The window is one class over several files, as GNOME Text Editor's:
 * pq-window.c (the form, the query, its progress and summary, the
 * actions' states), pq-window-files.c (open, save, export, the file
 * choosers), pq-window-checks.c (the service checks), pq-window-recent.c
 * (Recent Hosts), pq-window-text.c (the text view) and
 * pq-window-layout.c (narrow layout, accessible names), pq-window-trace.c
 * (path traces), pq-window-hosts.c (several hosts, a domain's
 * controllers), pq-window-local.c (the This Computer page) and
 * pq-window-repeat.c (Repeat every N seconds). Only they and
 * the tests include this header.
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pq-checks.h"
#include "pq-query.h"
#include "pq-results-view.h"
#include "pq-window.h"

G_BEGIN_DECLS

typedef struct _PqWindowRepeat PqWindowRepeat;

struct _PqWindow
{
  AdwApplicationWindow  parent_instance;

  /* template */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkToggleButton      *search_button;
  GtkEntry             *target_entry;
  GtkMenuButton        *recent_button;
  GtkLabel             *target_error;
  GtkCheckButton       *check_radio;
  GtkDropDown          *check_dropdown;
  GtkWidget            *delete_check_button;
  GtkLabel             *check_ports_label;
  GtkCheckButton       *ports_radio;
  GtkEntry             *ports_entry;
  GtkDropDown          *protocol_dropdown;
  GtkLabel             *ports_error;
  GtkRevealer          *problem_revealer;
  GtkLabel             *problem_label;
  GtkRevealer          *progress_revealer;
  GtkProgressBar       *progress_bar;
  GtkLabel             *progress_label;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  PqResultsView        *results_view;
  GtkLabel             *summary_label;
  GtkLabel             *explain_label;
  GtkStack             *results_stack;
  GtkTextView          *text_view;
  GtkToggleButton      *text_toggle;
  GtkWidget            *form;

  GSettings            *settings;
  GListStore           *checks;
  char                 *checks_path;
  PqQuery              *query;          /* the running or last query */
  PqReport             *report;         /* what Save, Export and Copy use */
  PqReport             *previous;       /* shown again if the host does not resolve */
  GFile                *previous_file;
  GFile                *shown_file;     /* the report file shown, if any */
  gboolean              query_problem;  /* the banner is the query's, not a file's */
  gboolean              narrow;         /* the form laid out for a narrow window */
  guint                 live_counts[PQ_N_PORT_STATES];  /* the running query's rows by state */
  guint                 text_source;    /* the text view's pending refresh */
  int                   layout;         /* the form's layout (pq-window-layout.c) */
  guint                 layout_source;  /* its pending change */
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  int                   pending_files;  /* saves, exports and opens running */
  struct _PqWindowHosts *hosts;         /* several hosts (pq-window-hosts.c) */

  /* pq-window-local.c and pq-window-repeat.c */
  AdwViewStack         *pages;          /* Remote Host, This Computer */
  GtkWidget            *local_page;
  GtkWidget            *window_title_kept;
  AdwViewSwitcherTitle *switcher_title;
  GtkLabel             *where;          /* the title's words when the switcher has its place */
  guint                 where_idle;
  PqWindowRepeat       *repeat;
  GCancellable         *file_cancellable;  /* the save or export being written: Stop */
};

/* pq-window.c */
void         _pq_window_show_problem       (PqWindow       *self,
                                            const char     *message);
void         _pq_window_toast              (PqWindow       *self,
                                            const char     *message);
void         _pq_window_show_ports_error   (PqWindow       *self,
                                            const char     *message);
void         _pq_window_clear_ports_error  (PqWindow       *self);
PqProtocols  _pq_window_get_protocols      (PqWindow       *self);
void         _pq_window_update_actions     (PqWindow       *self);

/* pq-window-recent.c */
void         _pq_window_recent_init        (PqWindow       *self);
void         _pq_window_remember_target    (PqWindow       *self,
                                            const char     *target);

/* pq-window-text.c: the query in PortQry's log layout */
void         _pq_window_text_init          (PqWindow       *self);
void         _pq_window_text_changed       (PqWindow       *self);
void         _pq_window_text_dispose       (PqWindow       *self);

/* pq-window-layout.c: the form's layout for the window's width, and
 * the accessible names GTK 4.8 gets wrong */
void         _pq_window_layout_class_init  (PqWindowClass  *klass);
void         _pq_window_layout_init        (PqWindow       *self);
void         _pq_window_layout_allocated   (PqWindow       *self,
                                            int             width);
void         _pq_window_layout_dispose     (PqWindow       *self);

/* pq-window-checks.c */
void         _pq_window_checks_init        (PqWindow       *self);
PqCheck     *_pq_window_get_selected_check (PqWindow       *self);

/* pq-window-trace.c: "Where is it blocked?" */
void         _pq_window_trace_init         (PqWindow       *self);
void         _pq_window_trace_update_actions (PqWindow     *self);

/* pq-window-files.c */
void         _pq_window_files_class_init   (PqWindowClass  *klass);
void         _pq_window_files_init         (PqWindow       *self);
void         _pq_window_files_dispose      (PqWindow       *self);
void         _pq_window_set_file           (PqWindow       *self,
                                            GFile          *file);
/* What the file choosers do once a file is chosen; tests call them
 * directly. Each ends with the "file-done" signal (file, error message
 * or NULL), which only tests connect to. @filter_format is the
 * chooser's filter (-1 for none), used when the name has no known
 * extension. */
void         _pq_window_save_file          (PqWindow       *self,
                                            GFile          *file);
void         _pq_window_export_file        (PqWindow       *self,
                                            GFile          *file,
                                            int             filter_format);

/* pq-window-hosts.c: a query of several hosts, a domain's controllers */
typedef struct _PqWindowHosts PqWindowHosts;
void         _pq_window_hosts_init         (PqWindow       *self);
void         _pq_window_hosts_finalize     (PqWindow       *self);
GPtrArray   *_pq_window_hosts_parse        (const char     *text,
                                            GError        **error);
PqQuery     *_pq_window_hosts_new_query    (PqWindow       *self,
                                            GPtrArray      *targets,
                                            const PqScanOptions *options,
                                            PqAddressChoice choice);
void         _pq_window_hosts_started      (PqWindow       *self,
                                            PqQuery        *query,
                                            const char     *text);
void         _pq_window_hosts_show_report  (PqWindow       *self,
                                            PqReport       *report);
void         _pq_window_hosts_show_summary (PqWindow       *self,
                                            PqReport       *report,
                                            const char     *summary);
void         _pq_window_hosts_show_live_summary (PqWindow  *self,
                                                 const char *summary);
void         _pq_window_hosts_show_input   (PqWindow       *self,
                                            PqReport       *report);
const char  *_pq_window_hosts_get_typed    (PqWindow       *self,
                                            PqReport       *report);
void         _pq_window_show_target_subtitle (PqWindow     *self);
const char  *_pq_window_hosts_get_by_host_text (PqWindow   *self);
/* pq-window-local.c: the Remote Host and This Computer pages; its init
 * and dispose call Repeat's */
void         _pq_window_local_init         (PqWindow       *self);
void         _pq_window_local_dispose      (PqWindow       *self);

/* pq-window-repeat.c: Repeat every N seconds */
void         _pq_window_repeat_init        (PqWindow       *self);
void         _pq_window_repeat_dispose     (PqWindow       *self);
void         _pq_window_repeat_started     (PqWindow       *self,
                                            PqQuery        *query);
void         _pq_window_repeat_done        (PqWindow       *self,
                                            PqReport       *report,
                                            const GError   *error);
gboolean     _pq_window_repeat_pending     (PqWindow       *self);
void         _pq_window_repeat_stop        (PqWindow       *self);
GtkDropDown *_pq_window_repeat_get_dropdown (PqWindow      *self);

G_END_DECLS
