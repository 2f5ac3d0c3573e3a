/*
 * include/linux/list.h with CONFIG_DEBUG_LIST (lib/list_debug.c). The functions are PORTED: the
 * model's ports (core/Kernel's list primitives) make every load and store a scheduling point in the
 * kernel's order and run DEBUG_LIST's checks with the kernel's messages. The iteration macros are
 * DUPLICATED as C, so their loads of ->next run as C.
 */
#ifndef MMFUZZ_LIST_H
#define MMFUZZ_LIST_H

#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)

__mmfuzz_port void INIT_LIST_HEAD(struct list_head *list);
__mmfuzz_port bool list_empty(const struct list_head *head);
__mmfuzz_port void list_add(struct list_head *new, struct list_head *head);
__mmfuzz_port void list_add_tail(struct list_head *new, struct list_head *head);
__mmfuzz_port void list_del(struct list_head *entry);
__mmfuzz_port void list_del_init(struct list_head *entry);
__mmfuzz_port void list_move(struct list_head *list, struct list_head *head);
__mmfuzz_port void list_move_tail(struct list_head *list, struct list_head *head);
__mmfuzz_port void list_splice_tail(struct list_head *list, struct list_head *head);
__mmfuzz_port void list_splice_tail_init(struct list_head *list, struct list_head *head);

/*
 * DUPLICATED: list_splice() and __list_splice() as the kernel writes them, run as C (no port puts a
 * list at the head of another: a patch that does reads them here). After the splice, the model's
 * hook tells the oracles the list moved, as the ports' splices do (not a kernel function).
 */
void hook_list_spliced(struct list_head *list, struct list_head *head);

static inline void __list_splice(const struct list_head *list, struct list_head *prev, struct list_head *next)
{
	struct list_head *first = list->next;
	struct list_head *last = list->prev;

	first->prev = prev;
	prev->next = first;

	last->next = next;
	next->prev = last;
}

static inline void list_splice(const struct list_head *list, struct list_head *head)
{
	if (!list_empty(list)) {
		__list_splice(list, head, head->next);
		hook_list_spliced((struct list_head *)list, head);
	}
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_last_entry(ptr, type, member) list_entry((ptr)->prev, type, member)
#define list_first_entry_or_null(ptr, type, member) \
	(!list_empty(ptr) ? list_first_entry(ptr, type, member) : NULL)
#define list_next_entry(pos, member) list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_prev_entry(pos, member) list_entry((pos)->member.prev, __typeof__(*(pos)), member)
#define list_entry_is_head(pos, head, member) (&(pos)->member == (head))

/*
 * CUSTOMISED: the safe walk's last read of ->next (the head's, when the walk has come round) is
 * dead once the loop test fails; a compiler sinks it past the test, so KCSAN never sees it. The
 * model keeps the step and marks that one read data_race(), as the hand ports do.
 */
#define __mmfuzz_list_next_safe(pos, head, member) \
	(list_entry_is_head(pos, head, member) ? \
	 list_entry(data_race((pos)->member.next), __typeof__(*(pos)), member) : list_next_entry(pos, member))

#define list_for_each_entry(pos, head, member) \
	for (pos = list_first_entry(head, __typeof__(*pos), member); \
	     !list_entry_is_head(pos, head, member); \
	     pos = list_next_entry(pos, member))

#define list_for_each_entry_safe(pos, n, head, member) \
	for (pos = list_first_entry(head, __typeof__(*pos), member), \
	     n = list_next_entry(pos, member); \
	     !list_entry_is_head(pos, head, member); \
	     pos = n, n = __mmfuzz_list_next_safe(n, head, member))

#define list_for_each_safe(pos, n, head) \
	for (pos = (head)->next, n = pos->next; pos != (head); pos = n, n = pos->next)

#endif
